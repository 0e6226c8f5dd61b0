package io.tidemark.state.offheap;

import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.memory.PageSnapshot;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each page's content lives in streams of confirmed checkpoints, for incremental snapshots.
 *
 * <p>Rules (see {@code docs/spec/offheap-tables.md}): an incremental snapshot writes the pages in its page snapshot's
 * read set (allocated or written since the last confirmed snapshot began, see {@link PageSnapshot#inReadSet}) and
 * references {@link #ref} for every other page. A checkpoint's uploads become references only when it is confirmed
 * ({@code notifyCheckpointComplete}); a confirmation subsumes every earlier pending checkpoint.
 *
 * <h2>Threads</h2>
 *
 * The owner records uploads and confirmations; snapshot threads call {@link #ref} concurrently. A snapshot reads the
 * reference of a page only if the page did not change since the last confirmation before the snapshot began, so the
 * entry it reads was written before that snapshot's synchronous part (happens-before through the hand-over of the
 * asynchronous part) and is not written again while it runs: a later confirmation may replace references only of
 * pages a later snapshot uploaded, and is applied only once no older snapshot is still running ({@link #confirmed}).
 * References are immutable objects, so a reader never sees a torn (stream, offset, checksum).
 */
final class UploadLedger {
    /** Where a confirmed checkpoint wrote a page. */
    record PageRef(StreamHandle stream, long offset, int checksum) {}

    /** Pages one checkpoint wrote, and its page snapshot (for the page store's confirmation). */
    private record Pending(PageSnapshot snapshot, PageUploads uploads) {}

    private volatile PageRef[] refs = new PageRef[0];
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    private long confirmedUpTo = -1;
    private long appliedUpTo = -1;

    /** Snapshot thread: the confirmed location of a page unchanged since the last confirmation, or null. */
    PageRef ref(long pageId) {
        final PageRef[] current = refs;
        return pageId < current.length ? current[(int) pageId] : null;
    }

    /** Owner: the asynchronous part of {@code checkpointId} succeeded with these uploads. */
    void uploaded(long checkpointId, PageSnapshot snapshot, PageUploads uploads) {
        if (checkpointId > appliedUpTo) {
            pending.put(checkpointId, new Pending(snapshot, uploads));
        }
    }

    /**
     * Owner: {@code checkpointId} is durable. Its uploads become references (and the page store learns that later
     * snapshots need not read pages unchanged since it began) once no snapshot older than it is still running:
     * {@code oldestRunning} is the id of the oldest running asynchronous part, or {@code Long.MAX_VALUE}.
     *
     * @return the page store snapshots to confirm now, oldest first (empty if the confirmation must wait)
     */
    PageSnapshot confirmed(long checkpointId, long oldestRunning) {
        confirmedUpTo = Math.max(confirmedUpTo, checkpointId);
        return apply(oldestRunning);
    }

    /** Owner: applies a confirmation that waited for older running snapshots; call when one of them ended. */
    PageSnapshot apply(long oldestRunning) {
        if (confirmedUpTo <= appliedUpTo || oldestRunning < confirmedUpTo) {
            return null;
        }
        PageSnapshot confirmedSnapshot = null;
        final Iterator<Map.Entry<Long, Pending>> entries = pending.entrySet().iterator();
        PageRef[] next = refs;
        while (entries.hasNext()) {
            final Map.Entry<Long, Pending> entry = entries.next();
            if (entry.getKey() > confirmedUpTo) {
                break;
            }
            if (entry.getKey() == confirmedUpTo) {
                final PageUploads uploads = entry.getValue().uploads();
                next = withUploads(next, uploads);
                confirmedSnapshot = entry.getValue().snapshot();
            }
            // earlier pending checkpoints are subsumed: the confirmed one wrote every page they wrote
            entries.remove();
        }
        refs = next;
        appliedUpTo = confirmedUpTo;
        return confirmedSnapshot;
    }

    /** Owner: {@code checkpointId} was discarded: its uploads are never referenced. */
    void aborted(long checkpointId) {
        pending.remove(checkpointId);
    }

    int pendingCount() {
        return pending.size();
    }

    private static PageRef[] withUploads(PageRef[] current, PageUploads uploads) {
        int maxPage = current.length - 1;
        for (int i = 0; i < uploads.size; i++) {
            maxPage = (int) Math.max(maxPage, uploads.pageIds[i]);
        }
        // Entries are written in place: a reader never reads an entry of a page that this confirmation changes.
        final PageRef[] next =
                maxPage < current.length ? current : Arrays.copyOf(current, Math.max(maxPage + 1, current.length * 2));
        for (int i = 0; i < uploads.size; i++) {
            next[(int) uploads.pageIds[i]] = new PageRef(uploads.streams[i], uploads.offsets[i], uploads.checksums[i]);
        }
        return next;
    }
}

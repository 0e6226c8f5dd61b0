package io.tidemark.state.offheap;

import io.tidemark.backend.snapshot.StreamHandle;
import java.util.Arrays;
import java.util.BitSet;
import java.util.TreeMap;

/**
 * Where each page's content lives in streams of completed checkpoints, for incremental snapshots. Owner thread only.
 *
 * <p>Rules (see {@code docs/spec/offheap-tables.md}): a snapshot may reference a page's stream only if a checkpoint
 * confirmed by {@code notifyCheckpointComplete} wrote it and the page has not changed since. A page is uploaded again
 * when the page store reports it dirty, or when it is <em>carried</em>: its last upload belongs to a checkpoint not
 * (yet) confirmed. The page store's snapshot is completed as soon as the asynchronous part succeeded (so the next
 * snapshot can begin before the notification); the carried set is what keeps an aborted or not yet confirmed
 * checkpoint's pages in the next incremental snapshot.
 */
final class UploadLedger {
    private StreamHandle[] streams = new StreamHandle[0];
    private long[] offsets = new long[0];
    private int[] checksums = new int[0];
    private long[] lastUpload = new long[0];
    private final BitSet carried = new BitSet();
    private final TreeMap<Long, PageUploads> pending = new TreeMap<>();

    /** True when a snapshot must write the page even if it is clean. */
    boolean mustUpload(long pageId) {
        return pageId >= streams.length || streams[(int) pageId] == null || carried.get((int) pageId);
    }

    StreamHandle stream(long pageId) {
        return streams[(int) pageId];
    }

    long offset(long pageId) {
        return offsets[(int) pageId];
    }

    int checksum(long pageId) {
        return checksums[(int) pageId];
    }

    /** The asynchronous part of {@code checkpointId} succeeded with these uploads. */
    void uploaded(long checkpointId, PageUploads uploads) {
        for (int i = 0; i < uploads.size; i++) {
            final int pageId = (int) uploads.pageIds[i];
            ensureCapacity(pageId + 1);
            carried.set(pageId);
            lastUpload[pageId] = checkpointId;
        }
        pending.put(checkpointId, uploads);
    }

    /** {@code checkpointId} is durable: its streams may be referenced; earlier pending checkpoints are subsumed. */
    void confirmed(long checkpointId) {
        final PageUploads uploads = pending.get(checkpointId);
        if (uploads != null) {
            for (int i = 0; i < uploads.size; i++) {
                final int pageId = (int) uploads.pageIds[i];
                streams[pageId] = uploads.streams[i];
                offsets[pageId] = uploads.offsets[i];
                checksums[pageId] = uploads.checksums[i];
                if (lastUpload[pageId] == checkpointId) {
                    carried.clear(pageId);
                }
            }
        }
        pending.headMap(checkpointId, true).clear();
    }

    /** {@code checkpointId} was discarded: its pages stay carried into the next snapshot. */
    void aborted(long checkpointId) {
        pending.remove(checkpointId);
    }

    int pendingCount() {
        return pending.size();
    }

    private void ensureCapacity(int pages) {
        if (pages > streams.length) {
            final int capacity = Math.max(pages, streams.length * 2);
            streams = Arrays.copyOf(streams, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            checksums = Arrays.copyOf(checksums, capacity);
            lastUpload = Arrays.copyOf(lastUpload, capacity);
        }
    }
}

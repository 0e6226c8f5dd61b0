package io.tidemark.memory;

import io.tidemark.StateAccessException;
import io.tidemark.StorageIOException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The snapshot reader's view of a {@link PageStore} as it was at {@link PageStore#beginSnapshot()} or
 * {@link PageStore#beginIncrementalSnapshot()}: which pages existed, which of them the snapshot reads (its read set),
 * which changed since the last confirmed snapshot, and their content at that moment.
 *
 * <h2>Threads</h2>
 *
 * One reader thread per snapshot, concurrently with the store's owner and with the readers of other snapshots, from
 * the hand-over (through a happens-before edge) until the owner calls {@link PageStore#endSnapshot} (or
 * {@link PageStore#endSnapshot}); the reader's last call must happen-before
 * that. {@link #epoch()}, {@link #pageCount()}, {@link #pageSize()}, {@link #isIncremental()} and {@link #isActive()}
 * may be called from any thread at any time.
 *
 * <h2>Read set</h2>
 *
 * A full snapshot reads every page allocated at begin. An incremental snapshot reads the pages allocated at begin and
 * allocated or first written since the begin of the last confirmed snapshot (every allocated page if none was
 * confirmed, or if the dirty sets since then were dropped before that snapshot was confirmed). The read set is a walk
 * over the frozen per-epoch dirty sets of those epochs, never a copy. Copy-on-write preserves only pages a snapshot
 * in flight still has to read, so {@link #readPage} of a page outside the read set throws.
 *
 * <h2>Reading a page</h2>
 *
 * {@link #readPage} copies the page into the caller's buffer; it never hands out page memory. It is lock-free against
 * the owner (a seqlock-style validation): if the live content is still this snapshot's version, the live page is
 * copied and the state word re-checked; if the owner's first write of a later epoch got there first, it had preserved
 * this snapshot's version in a side page of the page's version chain, and the copy is taken from there. After a
 * verified copy the reader marks the page captured (a bit of this snapshot's capture set, release store): from then
 * on the owner writes the page without preserving it for this snapshot. A second read of a page succeeds only while
 * the owner has not rewritten it since.
 *
 * <h2>Allocation</h2>
 *
 * Iteration is by page id ({@code for (long id = s.nextDirtyPage(0); id >= 0; id = s.nextDirtyPage(id + 1))}) and
 * allocates nothing. The first {@link #readPage} allocates the capture set ({@code pageCount / 64} longs). The reader
 * never faults a page in: a resident page is copied from its frame under a reader pin, a page without a frame is read
 * from its segment file (cold path; opens read-only channels, at most {@value ChannelCache#CAPACITY} at once, and
 * allocates one direct buffer of a page).
 */
public final class PageSnapshot {
    private static final VarHandle CAPTURED;
    private static final VarHandle CAPTURED_WORD = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            CAPTURED = MethodHandles.lookup().findVarHandle(PageSnapshot.class, "captured", long[].class);
        } catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final PageAllocator pages;
    private final Residency residency;
    private final int pageSize;
    private final int epoch;
    private final long pageCount;
    private final boolean incremental;
    /** Epoch of the last confirmed snapshot at begin, 0 if none (or if its dirty sets were dropped). */
    private final int base;
    /** The frozen dirty set of {@link #epoch}, linked to the older ones. */
    private final DirtySet dirty;

    private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);
    private volatile boolean ended;
    /** The capture set: written by the reader (release), read by the owner (acquire). Null until the first read. */
    @SuppressWarnings("unused") // accessed through CAPTURED
    private long[] captured;

    private ByteBuffer fileBuffer;
    private ChannelCache fileChannels;
    private long fileReads;
    private long versionReads;
    private long retries;

    PageSnapshot(
            PageAllocator pages,
            Residency residency,
            int pageSize,
            int epoch,
            long pageCount,
            boolean incremental,
            int base,
            DirtySet dirty) {
        this.pages = pages;
        this.residency = residency;
        this.pageSize = pageSize;
        this.epoch = epoch;
        this.pageCount = pageCount;
        this.incremental = incremental;
        this.base = base;
        this.dirty = dirty;
    }

    /** The epoch this snapshot captures: page content written up to and including this epoch. Any thread. */
    public int epoch() {
        return epoch;
    }

    /** Page ids of the snapshot are below this bound (the store's page count at begin). Any thread. */
    public long pageCount() {
        return pageCount;
    }

    /** Page size in bytes. Any thread. */
    public int pageSize() {
        return pageSize;
    }

    /** True if begun by {@link PageStore#beginIncrementalSnapshot()}. Any thread. */
    public boolean isIncremental() {
        return incremental;
    }

    /** True until the owner ends the snapshot. Any thread. */
    public boolean isActive() {
        return !ended;
    }

    /** True if the page was allocated at begin. */
    public boolean contains(long pageId) {
        requireActive();
        return pageId >= 0 && pageId < pageCount && PageState.belongsTo(lifetime(pageId), epoch);
    }

    /** True if the snapshot reads the page: allocated at begin and, if incremental, changed since the base. */
    public boolean inReadSet(long pageId) {
        return contains(pageId) && (readBase() == 0 || dirty.anyContains(pageId, base));
    }

    /**
     * The smallest id {@code >= fromPageId} of a page allocated at begin, or -1: the page list of a full snapshot.
     */
    public long nextLivePage(long fromPageId) {
        requireActive();
        for (long pageId = Math.max(0, fromPageId); pageId < pageCount; pageId++) {
            if (PageState.belongsTo(lifetime(pageId), epoch)) {
                return pageId;
            }
        }
        return -1;
    }

    /**
     * The smallest id {@code >= fromPageId} of a page allocated at begin and allocated or first written since the
     * begin of the last confirmed snapshot, or -1 (every page allocated at begin if none is confirmed). For an
     * incremental snapshot this is its read set; a full snapshot reads every live page but lists here only the changed
     * ones, so that a caller can upload those and reference the rest.
     */
    public long nextDirtyPage(long fromPageId) {
        if (base == 0) {
            return nextLivePage(fromPageId);
        }
        requireActive();
        long pageId = dirty.nextContained(Math.max(0, fromPageId), base);
        while (pageId >= 0 && (pageId >= pageCount || !PageState.belongsTo(lifetime(pageId), epoch))) {
            pageId = dirty.nextContained(pageId + 1, base);
        }
        return pageId >= pageCount ? -1 : pageId;
    }

    /**
     * Copies the page's content as of begin into {@code target} at {@code offset} ({@link #pageSize()} bytes).
     *
     * @throws StateAccessException if the page is not in the read set, the snapshot has ended, or the page was read
     *     before and rewritten since.
     * @throws IndexOutOfBoundsException if {@code target} is too small.
     */
    public void readPage(long pageId, MutableDirectBuffer target, int offset) {
        requireActive();
        if (!inReadSet(pageId)) {
            throw new StateAccessException("page not in the snapshot's read set: pageId=" + pageId + ", epoch=" + epoch
                    + ", incremental=" + incremental + ", limit=" + pageCount);
        }
        target.boundsCheck(offset, pageSize);
        final Segment segment = pages.segmentOf(pageId);
        final int index = pages.indexOf(pageId);
        final boolean readBefore = isCapturedByReader(pageId);
        while (true) {
            // Volatile load (acquire): if it shows a word of a later epoch, the side page it links and the side
            // page's bytes were written before it and are visible.
            final long word = segment.states.get(index);
            final int contentEpoch = PageState.epoch(word);
            if (contentEpoch <= epoch) {
                copy(segment, index, target, offset);
                // Acquire fence: the copy's loads complete before the re-check load below (as in
                // StampedLock.validate). The owner publishes a new epoch in the word before its first store into
                // the page (volatile store + store-store fence), so a copy that saw any such store sees a new epoch.
                VarHandle.acquireFence();
                if (PageState.epoch(segment.states.get(index)) == contentEpoch) {
                    markCaptured(pageId);
                    return;
                }
                if (readBefore) {
                    throw rewritten(pageId);
                }
                // The owner's first write of a later epoch began meanwhile. We had not captured the page, so it
                // preserved our version first: go round and take it from the chain.
                retries++;
                continue;
            }
            if (readBefore) {
                // Captured, so the owner preserved nothing for us: an older version in the chain may not be ours.
                throw rewritten(pageId);
            }
            final long version = findVersion(word);
            if (version < 0) {
                throw new IllegalStateException("version missing for a page in the read set: pageId=" + pageId
                        + ", epoch=" + epoch + ", " + PageState.describe(word));
            }
            // A version page is immutable until no snapshot in flight can reach it: no re-check needed.
            copy(pages.segmentOf(version), pages.indexOf(version), target, offset);
            versionReads++;
            markCaptured(pageId);
            return;
        }
    }

    /** The newest version in the chain after {@code word} whose content epoch is {@code <= epoch}, or -1. */
    private long findVersion(long word) {
        long link = word;
        while (PageState.hasOlder(link)) {
            final long version = PageState.older(link);
            link = pages.segmentOf(version).states.get(pages.indexOf(version));
            if (PageState.epoch(link) <= epoch) {
                return version;
            }
        }
        return -1;
    }

    private StateAccessException rewritten(long pageId) {
        return new StateAccessException(
                "page read twice and rewritten in between: pageId=" + pageId + ", epoch=" + epoch);
    }

    /** Reader thread: its own capture bits, plain. */
    private boolean isCapturedByReader(long pageId) {
        final long[] words = (long[]) CAPTURED.get(this);
        return words != null && (words[(int) (pageId >>> 6)] & (1L << pageId)) != 0;
    }

    /**
     * Reader thread, after a verified copy. Release store: the copy's loads happen-before an owner that reads the bit
     * with acquire and then writes the page without preserving it.
     */
    private void markCaptured(long pageId) {
        long[] words = (long[]) CAPTURED.get(this);
        if (words == null) {
            words = new long[(int) ((pageCount + 63) >>> 6)];
            CAPTURED.setRelease(this, words);
        }
        final int index = (int) (pageId >>> 6);
        // Only this reader writes the set: a plain read and a release store, no CAS.
        CAPTURED_WORD.setRelease(words, index, words[index] | (1L << pageId));
    }

    /**
     * Owner thread, slow path of a first write: true if this snapshot still has to read the page's live content,
     * last written in {@code contentEpoch}.
     */
    boolean needsVersion(long pageId, int contentEpoch) {
        if (contentEpoch > epoch || contentEpoch <= readBase()) {
            return false;
        }
        final long[] words = (long[]) CAPTURED.getAcquire(this);
        if (words == null) {
            return true;
        }
        final long bits = (long) CAPTURED_WORD.getAcquire(words, (int) (pageId >>> 6));
        return (bits & (1L << pageId)) == 0;
    }

    /** Epoch after which changed pages are read: 0 reads every page allocated at begin. */
    private int readBase() {
        return incremental ? base : 0;
    }

    int base() {
        return base;
    }

    /** True if the snapshot was begun by the store that owns {@code allocator}. */
    boolean isOf(PageAllocator allocator) {
        return pages == allocator;
    }

    private void copy(Segment segment, int index, MutableDirectBuffer target, int offset) {
        final long address = residency.readerPin(segment, index);
        if (address == 0) {
            readFile(segment, index, target, offset);
            return;
        }
        try {
            source.wrap(address, pageSize);
            target.putBytes(offset, source, 0, pageSize);
        } finally {
            source.wrap(EMPTY);
            residency.readerUnpin(segment, index);
        }
    }

    /**
     * The page has no frame: only the owner fills frames, so the reader reads the page from the segment file, which
     * holds its content (a frame is freed only after its write-back, and the pin protocol orders that write before
     * this read). A concurrent owner write is caught by the caller's state-word check.
     */
    private void readFile(Segment segment, int index, MutableDirectBuffer target, int offset) {
        if (fileBuffer == null) {
            fileBuffer = ByteBuffer.allocateDirect(pageSize);
            fileChannels = new ChannelCache(PageSnapshot::openForReading);
        }
        try {
            final FileChannel channel = fileChannels.get(segment);
            fileBuffer.clear();
            final long position = (long) index * pageSize;
            while (fileBuffer.hasRemaining()) {
                if (channel.read(fileBuffer, position + fileBuffer.position()) < 0) {
                    throw new StorageIOException("segment file ends inside a page: file=" + segment.path + ", offset="
                            + (position + fileBuffer.position()) + ", pageSize=" + pageSize);
                }
            }
            fileReads++;
        } catch (IOException ex) {
            throw new StorageIOException(
                    "cannot read page from segment file: file=" + segment.path + ", page=" + index + ", reason=" + ex,
                    ex);
        }
        target.putBytes(offset, fileBuffer, 0, pageSize);
    }

    /** Pages this reader read from a preserved version (a side page) instead of the live page. Reader thread. */
    public long versionReads() {
        return versionReads;
    }

    /** Copies of a live page discarded because the owner's first write raced them. Reader thread. */
    public long retries() {
        return retries;
    }

    /** Pages this reader read from segment files because they had no frame. Reader thread. */
    public long fileReads() {
        return fileReads;
    }

    private static final byte[] EMPTY = new byte[0];

    private long lifetime(long pageId) {
        return pages.segmentOf(pageId).lifetimes.get(pages.indexOf(pageId));
    }

    private static FileChannel openForReading(Segment segment) throws IOException {
        return FileChannel.open(segment.path, StandardOpenOption.READ);
    }

    /** Owner, after the reader's last call: marks the snapshot ended and closes the reader's file channels. */
    void end() {
        ended = true;
        if (fileChannels != null) {
            try {
                fileChannels.closeAll();
            } catch (IOException ignored) {
                // read-only channels: nothing was written that a failed close could lose
            }
            fileChannels = null;
        }
    }

    private void requireActive() {
        if (ended) {
            throw new StateAccessException("snapshot has ended: epoch=" + epoch);
        }
    }

    @Override
    public String toString() {
        return "PageSnapshot{epoch=" + epoch + ", incremental=" + incremental + ", base=" + base + ", pageCount="
                + pageCount + ", active=" + !ended + "}";
    }
}

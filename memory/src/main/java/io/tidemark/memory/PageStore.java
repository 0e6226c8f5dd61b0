package io.tidemark.memory;

import static io.tidemark.memory.PageState.ALLOCATED;
import static io.tidemark.memory.PageState.EPOCH_MASK;
import static io.tidemark.memory.PageState.FAST_PATH_MASK;
import static io.tidemark.memory.PageState.FRESH;
import static io.tidemark.memory.PageState.PRESERVED;
import static io.tidemark.memory.PageState.RETIRED;
import static io.tidemark.memory.PageState.WRITTEN;

import io.tidemark.StateAccessException;
import io.tidemark.StateSizeException;
import io.tidemark.StorageIOException;
import org.agrona.UnsafeApi;

/**
 * Fixed-size pages in memory-mapped, preallocated segment files, with a resident budget, copy-on-write snapshots and
 * dirty-page tracking. Knows nothing about what the pages hold.
 *
 * <h2>Threads</h2>
 *
 * One <em>owner</em> thread calls every method of this class (and uses every {@link PageCursor}); the store does not
 * check which thread calls. One <em>snapshot reader</em> thread at a time may use the {@link PageSnapshot} returned by
 * {@link #beginSnapshot()}, concurrently with the owner. Hand the snapshot to the reader through a happens-before edge
 * (a queue, an executor) and end it with {@link #completeSnapshot}/{@link #abortSnapshot} only after the reader's
 * last call has happened-before (same kind of edge back). The statistics getters may be called from any thread.
 *
 * <h2>Allocation</h2>
 *
 * {@link #readAddress}, {@link #writeAddress}, {@link #acquireRead}, {@link #acquireWrite} and
 * {@link PageCursor#release()} never allocate on the heap. {@link #allocatePage()} and the first write to a page while
 * a snapshot is in flight allocate nothing either, unless the store must grow: growing creates, preallocates and later
 * maps a segment file (cold, slow, allocates). {@link #beginSnapshot()} allocates one small object and runs in O(1):
 * it bumps the epoch, no loop over pages.
 *
 * <h2>Owner-only residency and validity of page memory</h2>
 *
 * Only the owner maps and unmaps segments (see {@code Residency}); its accesses take no pin and execute no atomic
 * operation or volatile access on the fast path. An address from {@link #readAddress}/{@link #writeAddress} stays
 * valid until the owner's next call that may map a segment (any address, acquire, allocation or snapshot call),
 * because mapping may evict another segment; a {@link PageCursor} keeps its page's segment mapped until released (a
 * plain counter, owner thread). The snapshot reader never maps: it copies from a mapped segment under a reader pin
 * (eviction skips that segment) or reads the segment file.
 *
 * <h2>Snapshots</h2>
 *
 * One snapshot is in flight at a time. While it is, the first write to a page that the snapshot still needs copies
 * the page to a side page first (see {@link PageState} and {@code docs/spec/pages.md}); the snapshot reader sees each
 * page exactly as it was at {@link #beginSnapshot()}. Page ids are stable for the life of the store; a freed id is
 * reused by a later allocation, but not while a snapshot in flight still contains it.
 *
 * <h2>Errors</h2>
 *
 * {@link io.tidemark.StorageSpaceException} when growth finds no space (disk full, file-size limit, quota), at the
 * allocation that needed it, with the half-written segment file removed; {@link StorageIOException} for other I/O
 * failures; {@link StateSizeException} when the store would exceed {@code maxStoreSize}; {@link StateAccessException}
 * for misuse (unknown or free page id, cursor already holding a page, snapshot calls out of order, closed store).
 * No method leaves the store inconsistent when it throws.
 *
 * <h2>Files</h2>
 *
 * Segment files are working files, never trusted across a restart: {@link #open} deletes leftover segment files in
 * the state directory, {@link #close()} deletes the store's own. A lock file ({@value #LOCK_FILE}, left in place)
 * keeps a second store, in this process or another, out of the directory.
 */
public final class PageStore implements AutoCloseable {
    /** Name of the directory lock file. */
    public static final String LOCK_FILE = "pages.lock";

    private final PageStoreContext context;
    private final int pageSize;
    private final int pageShift;
    private final StateDirectory directory;
    private final Residency residency;
    private final PageAllocator pages;

    private final LongStack sidePages = new LongStack();
    private final LongStack retiredPages = new LongStack();
    private PageBitSet dirty = new PageBitSet();
    private PageBitSet spareDirty = new PageBitSet();
    private int epoch = 1;
    /** {@code epoch | ALLOCATED}: the state word bits of a page already written in the current epoch. */
    private long fastPathWord = (1 & EPOCH_MASK) | ALLOCATED;

    private PageSnapshot inFlight;
    private int writeCursors;
    private long allocatedPages;
    private long copiesOnWrite;
    private boolean closed;

    private PageStore(PageStoreContext context, StateDirectory directory) {
        this.context = context;
        this.pageSize = context.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.directory = directory;
        final SegmentFiles files =
                new SegmentFiles(context.stateDirectory(), context.segmentSize(), context.fileChannelFactory());
        this.residency = new Residency(files, context.residentBudget(), context.segmentSize());
        this.pages = new PageAllocator(context, files, residency);
    }

    /**
     * Opens an empty store in the context's state directory: concludes the context if needed, creates the directory,
     * takes the directory lock and deletes leftover segment files. No segment is created until the first allocation.
     *
     * @throws io.tidemark.ConfigurationException if the context is invalid.
     * @throws StateAccessException if another store holds the directory.
     * @throws StorageIOException if the directory cannot be prepared.
     */
    public static PageStore open(PageStoreContext context) {
        if (!context.isConcluded()) {
            context.conclude();
        }
        return new PageStore(context, StateDirectory.open(context.stateDirectory()));
    }

    /**
     * Allocates a zero-filled page, growing the store by one segment if no page is free.
     *
     * @return the page id, stable until the page is freed.
     * @throws io.tidemark.StorageSpaceException if growth finds no space on disk.
     * @throws StateSizeException if growth would exceed {@code maxStoreSize}.
     */
    public long allocatePage() {
        requireOpen();
        final long pageId = takePage();
        final Segment segment = pages.ownerSegment(pageId);
        final int index = pages.indexOf(pageId);
        try {
            final long address = residency.ownerAddress(segment) + ((long) index << pageShift);
            UnsafeApi.setMemory(address, pageSize, (byte) 0);
        } catch (RuntimeException | Error ex) {
            pages.give(pageId); // the mapping failed: the id goes back, nothing else changed
            throw ex;
        }
        segment.states.set(index, PageState.word(epoch, FRESH, ALLOCATED, 0));
        dirty.set(pageId);
        allocatedPages++;
        return pageId;
    }

    /**
     * Frees a page. Its id may be returned by a later {@link #allocatePage()}; if the snapshot in flight contains the
     * page, not before that snapshot ends. No cursor may hold the page: the store does not track cursors per page, and
     * a cursor left on a freed page would write into whatever the id is reallocated to.
     *
     * @throws StateAccessException if the page is not allocated.
     */
    public void freePage(long pageId) {
        requireOpen();
        final Segment segment = pages.ownerSegment(requireKnown(pageId));
        final int index = pages.indexOf(pageId);
        long word = segment.states.get(index);
        requireAllocated(pageId, word);
        if (inFlight != null && PageState.belongsTo(word, epoch)) {
            // The reader may CAS the word (capture) concurrently: keep its bits, swap ALLOCATED for RETIRED.
            while (!segment.states.compareAndSet(index, word, (word & ~ALLOCATED) | RETIRED)) {
                word = segment.states.get(index);
            }
            retiredPages.push(pageId);
        } else {
            pages.give(pageId);
        }
        allocatedPages--;
    }

    /**
     * Owner hot path: the address of the page's first byte, for reading. No atomic operation, no volatile access, no
     * allocation while the page's segment is mapped (mapping it back is the cold path). The address is valid until the
     * owner's next call into this store that may map a segment (any {@code *Address}, {@code acquire*},
     * {@link #allocatePage()} or snapshot call), unless a cursor holds a page of the same segment. The caller passes a
     * page it allocated and has not freed; the id is not checked here ({@link #acquireRead} checks it).
     */
    public long readAddress(long pageId) {
        final Segment segment = pages.ownerSegment(pageId);
        return residency.ownerAddress(segment) + ((long) pages.indexOf(pageId) << pageShift);
    }

    /**
     * Owner hot path: the address of the page's first byte, for writing, valid as for {@link #readAddress}. The first
     * write access of a page in an epoch marks it dirty and, if the snapshot in flight still needs the page's content,
     * copies it to a side page first (cold path). Afterwards, and for every later write access in the epoch: one plain
     * load of the page's state word, one compare, no atomic, no volatile access. Writes through the address must be
     * done before the next {@link #beginSnapshot()}.
     *
     * @throws io.tidemark.StorageSpaceException if the copy needs a side page and growth finds no space.
     */
    public long writeAddress(long pageId) {
        final Segment segment = pages.ownerSegment(pageId);
        final int index = pages.indexOf(pageId);
        final long address = residency.ownerAddress(segment) + ((long) index << pageShift);
        // Plain load: a word matching the fast path was written by this thread in this epoch; the reader only ever
        // writes words of older epochs (CAPTURED), which fail the compare and go to the slow path.
        if ((segment.states.getPlain(index) & FAST_PATH_MASK) != fastPathWord) {
            firstWrite(pageId, segment, index, address);
        }
        return address;
    }

    /**
     * Pins the page for reading through {@code cursor}: its segment stays mapped while the cursor holds the page.
     *
     * @return {@code cursor}, now wrapping the page until {@link PageCursor#release()}.
     * @throws StateAccessException if the page is not allocated or the cursor already holds a page.
     */
    public PageCursor acquireRead(long pageId, PageCursor cursor) {
        cursor.requireReleased();
        final Segment segment = pages.ownerSegment(requireKnown(pageId));
        final int index = pages.indexOf(pageId);
        requireAllocated(pageId, segment.states.getPlain(index));
        final long address = residency.ownerAddress(segment);
        segment.ownerHolds++;
        cursor.wrap(this, segment, pageId, address + ((long) index << pageShift), pageSize, false);
        return cursor;
    }

    /**
     * Pins the page for writing through {@code cursor}. The first write acquire of a page in an epoch marks it dirty
     * and, if the snapshot in flight still needs the page's content, copies it to a side page first.
     *
     * @return {@code cursor}, now wrapping the page until {@link PageCursor#release()}.
     * @throws StateAccessException if the page is not allocated or the cursor already holds a page.
     * @throws io.tidemark.StorageSpaceException if the copy needs a side page and growth finds no space.
     */
    public PageCursor acquireWrite(long pageId, PageCursor cursor) {
        cursor.requireReleased();
        final Segment segment = pages.ownerSegment(requireKnown(pageId));
        final int index = pages.indexOf(pageId);
        requireAllocated(pageId, segment.states.getPlain(index));
        final long address = writeAddress(pageId);
        segment.ownerHolds++;
        writeCursors++;
        cursor.wrap(this, segment, pageId, address, pageSize, true);
        return cursor;
    }

    /** The slow path of {@link #writeAddress}: holds the segment mapped while a side page may be mapped. */
    private void firstWrite(long pageId, Segment segment, int index, long address) {
        segment.ownerHolds++;
        try {
            beforeFirstWrite(pageId, segment, index, segment.states.get(index), address);
        } finally {
            segment.ownerHolds--;
        }
    }

    /** The first write to the page in this epoch: mark it dirty and, if the snapshot shares it, preserve it. */
    private void beforeFirstWrite(long pageId, Segment segment, int index, long word, long address) {
        requireAllocated(pageId, word);
        dirty.set(pageId);
        if (inFlight == null || !PageState.isShared(word, epoch)) {
            segment.states.set(index, PageState.word(epoch, WRITTEN, PageState.flags(word), 0));
            return;
        }
        final long side = takePage();
        final Segment sideSegment = pages.ownerSegment(side);
        final int sideIndex = pages.indexOf(side);
        try {
            final long sideAddress = residency.ownerAddress(sideSegment) + ((long) sideIndex << pageShift);
            UnsafeApi.copyMemory(address, sideAddress, pageSize);
        } catch (RuntimeException | Error ex) {
            pages.give(side); // the side segment could not be mapped: the page's word is untouched
            throw ex;
        }
        sideSegment.states.set(sideIndex, PageState.word(epoch, FRESH, ALLOCATED, 0));
        // Release: the side page's bytes are visible to a reader that sees PRESERVED. Acquire: our later writes to
        // the live page cannot move before this point, where the reader may still be copying a SHARED page.
        if (segment.states.compareAndSet(index, word, PageState.word(epoch, PRESERVED, PageState.flags(word), side))) {
            sidePages.push(side);
            copiesOnWrite++;
        } else {
            // The reader captured the live page between our read of the word and the CAS: no copy is needed.
            pages.give(side);
            final long captured = segment.states.get(index);
            segment.states.set(index, PageState.word(epoch, WRITTEN, PageState.flags(captured), 0));
        }
    }

    void release(Segment segment, boolean writable) {
        segment.ownerHolds--;
        if (writable) {
            writeCursors--;
        }
    }

    /**
     * Starts a snapshot of every allocated page as it is now. O(1): bumps the epoch and swaps the dirty set.
     *
     * @return the view for the snapshot reader thread.
     * @throws StateAccessException if a snapshot is in flight or a write cursor is held (its later writes would be
     *     neither in the snapshot nor copied).
     * @throws StateSizeException if the epoch counter is exhausted (2^31 - 2 snapshots).
     */
    public PageSnapshot beginSnapshot() {
        requireOpen();
        if (inFlight != null) {
            throw new StateAccessException(
                    "a snapshot is already in flight: epoch=" + inFlight.epoch() + ", limit=1 at a time");
        }
        if (writeCursors != 0) {
            throw new StateAccessException(
                    "cannot begin a snapshot while write cursors are held: writeCursors=" + writeCursors + ", limit=0");
        }
        if (epoch == Integer.MAX_VALUE) {
            throw new StateSizeException("snapshot epochs exhausted: epoch=" + epoch + ", limit=" + Integer.MAX_VALUE);
        }
        final PageBitSet snapshotDirty = dirty;
        dirty = spareDirty;
        spareDirty = null;
        dirty.ensureCapacity(pages.pageCount());
        final int snapshotEpoch = epoch;
        epoch = snapshotEpoch + 1;
        fastPathWord = (epoch & EPOCH_MASK) | ALLOCATED;
        inFlight = new PageSnapshot(pages, residency, pageSize, snapshotEpoch, pages.pageCount(), snapshotDirty);
        return inFlight;
    }

    /**
     * Ends the snapshot as completed: its dirty pages are now clean; the next snapshot's dirty set holds only pages
     * changed since {@link #beginSnapshot()} of this one. Side pages and pages freed meanwhile are released.
     *
     * @throws StateAccessException if {@code snapshot} is not the snapshot in flight.
     */
    public void completeSnapshot(PageSnapshot snapshot) {
        requireInFlight(snapshot);
        endSnapshot(snapshot);
    }

    /**
     * Ends the snapshot as aborted: its dirty pages are merged back, so the next snapshot still includes them.
     *
     * @throws StateAccessException if {@code snapshot} is not the snapshot in flight.
     */
    public void abortSnapshot(PageSnapshot snapshot) {
        requireInFlight(snapshot);
        dirty.or(snapshot.dirtySet());
        endSnapshot(snapshot);
    }

    private void endSnapshot(PageSnapshot snapshot) {
        snapshot.end();
        inFlight = null;
        final PageBitSet snapshotDirty = snapshot.dirtySet();
        snapshotDirty.clear();
        spareDirty = snapshotDirty;
        giveAll(sidePages);
        giveAll(retiredPages);
    }

    private void giveAll(LongStack pageIds) {
        for (int i = 0, size = pageIds.size(); i < size; i++) {
            pages.give(pageIds.get(i));
        }
        pageIds.clear();
    }

    /**
     * Unmaps and deletes every segment file and releases the directory. Ends a snapshot in flight; the snapshot reader
     * must be done. Idempotent.
     *
     * @throws StorageIOException if a segment file cannot be deleted or the lock released; the rest is still done.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (inFlight != null) {
            inFlight.end();
            inFlight = null;
        }
        residency.unmapAll();
        try {
            pages.deleteFiles();
        } finally {
            directory.close();
        }
    }

    private long takePage() {
        final long pageId = pages.take();
        // The store may have grown: both dirty sets must hold every id (a compare unless they must grow).
        dirty.ensureCapacity(pages.pageCount());
        if (spareDirty != null) {
            spareDirty.ensureCapacity(pages.pageCount());
        }
        return pageId;
    }

    private long requireKnown(long pageId) {
        if (pageId < 0 || pageId >= pages.pageCount()) {
            throw new StateAccessException("unknown page id: pageId=" + pageId + ", limit=" + pages.pageCount());
        }
        return pageId;
    }

    private static void requireAllocated(long pageId, long word) {
        if (!PageState.isAllocated(word)) {
            throw new StateAccessException("page is not allocated: pageId=" + pageId + ", " + PageState.describe(word));
        }
    }

    private void requireInFlight(PageSnapshot snapshot) {
        if (snapshot == null || snapshot != inFlight) {
            throw new StateAccessException("not the snapshot in flight: snapshot="
                    + (snapshot == null ? "null" : snapshot.epoch()) + ", inFlight="
                    + (inFlight == null ? "none" : inFlight.epoch()));
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new StateAccessException("page store is closed: stateDirectory=" + context.stateDirectory());
        }
    }

    /** Page size in bytes. Any thread. */
    public int pageSize() {
        return pageSize;
    }

    /** Pages in all segments, allocated or not. Owner thread. */
    public long pageCount() {
        return pages.pageCount();
    }

    /** Pages allocated by callers (side pages of the snapshot in flight excluded). Owner thread. */
    public long allocatedPages() {
        return allocatedPages;
    }

    /** Segment files created. Owner thread. */
    public int segmentCount() {
        return pages.segmentCount();
    }

    /** The current epoch: pages written now are stamped with it. Owner thread. */
    public int epoch() {
        return epoch;
    }

    /** The snapshot in flight, or null. Owner thread. */
    public PageSnapshot snapshotInFlight() {
        return inFlight;
    }

    /** Pages copied to side pages since open. Owner thread. */
    public long copiesOnWrite() {
        return copiesOnWrite;
    }

    /** Bytes of segments mapped now. Any thread (takes the residency lock). */
    public long residentBytes() {
        return residency.residentBytes();
    }

    /** The most bytes of segments that were ever mapped at once. Any thread. */
    public long maxResidentBytesSeen() {
        return residency.maxResidentBytesSeen();
    }

    /** Segment mappings since open, first mappings and re-mappings after eviction. Any thread. */
    public long segmentMaps() {
        return residency.maps();
    }

    /** Segments unmapped to stay within the budget since open. Any thread. */
    public long segmentEvictions() {
        return residency.evictions();
    }

    /** Mappings that exceeded the budget because every resident segment was pinned. Any thread. */
    public long overBudgetMaps() {
        return residency.overBudgetMaps();
    }

    public PageStoreContext context() {
        return context;
    }
}

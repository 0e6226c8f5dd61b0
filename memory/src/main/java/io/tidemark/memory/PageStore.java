package io.tidemark.memory;

import static io.tidemark.memory.PageState.ALLOCATED;
import static io.tidemark.memory.PageState.CHAIN_MASK;
import static io.tidemark.memory.PageState.EPOCH_MASK;
import static io.tidemark.memory.PageState.FAST_PATH_MASK;
import static io.tidemark.memory.PageState.RETIRED;

import io.tidemark.StateAccessException;
import io.tidemark.StateSizeException;
import io.tidemark.StorageIOException;
import java.lang.invoke.VarHandle;
import org.agrona.UnsafeApi;

/**
 * Fixed-size pages in memory-mapped, preallocated segment files, with a resident budget, copy-on-write snapshots and
 * dirty-page tracking. Knows nothing about what the pages hold.
 *
 * <h2>Threads</h2>
 *
 * One <em>owner</em> thread calls every method of this class (and uses every {@link PageCursor}); the store does not
 * check which thread calls. Up to {@code maxSnapshotsInFlight} snapshots may be in flight at once; each
 * {@link PageSnapshot} is read by at most one <em>snapshot reader</em> thread, concurrently with the owner and with
 * the readers of other snapshots. Hand a snapshot to its reader through a happens-before edge (a queue, an executor)
 * and end it with {@link #endSnapshot} only after the reader's last call has happened-before (same kind of edge back).
 * The statistics getters marked so may be called from any thread.
 *
 * <h2>Allocation</h2>
 *
 * {@link #readAddress}, {@link #writeAddress}, {@link #acquireRead}, {@link #acquireWrite} and
 * {@link PageCursor#release()} never allocate on the heap. {@link #allocatePage()} and the first write to a page while
 * snapshots are in flight allocate nothing either once warm, unless the store must grow: growing creates,
 * preallocates and later maps a segment file (cold, slow, allocates). {@link #beginSnapshot()} and
 * {@link #beginIncrementalSnapshot()} allocate two small objects and run in O(1): an epoch bump and a dirty-set swap,
 * no loop over pages, and they never wait for a reader.
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
 * Each begin closes an epoch. The first write to a page in an epoch preserves the page's content in a side page (a
 * version, linked into the page's version chain) only if some snapshot in flight still has to read that content: it
 * is the snapshot's version, the page is in the snapshot's read set and the snapshot's reader has not captured it yet
 * (see {@link PageState}, {@link PageSnapshot} and {@code docs/spec/pages.md}). Each reader sees every page of its
 * read set exactly as it was at its begin. Side pages, and pages freed while a snapshot that contains them is in
 * flight, go back to the free list when no snapshot in flight can reach them. An incremental snapshot reads the pages
 * changed since the begin of the last confirmed snapshot ({@link #confirmSnapshot}). Page ids are stable for the life
 * of the store; a freed id is reused by a later allocation, but not while a snapshot in flight still contains it.
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

    private final PageVersions versions;
    private final SnapshotRegistry snapshots;
    private final DirtyEpochs dirty = new DirtyEpochs();
    private int epoch = 1;
    /** {@code epoch | ALLOCATED}: the state word bits of a page already written in the current epoch. */
    private long fastPathWord = (1 & EPOCH_MASK) | ALLOCATED;

    private int writeCursors;
    private long allocatedPages;
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
        this.versions = new PageVersions(pages, residency, pageSize);
        this.snapshots = new SnapshotRegistry(context.maxSnapshotsInFlight());
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
        final long pageId = pages.take();
        dirty.ensureCapacity(pages.pageCount());
        final Segment segment = pages.ownerSegment(pageId);
        final int index = pages.indexOf(pageId);
        try {
            final long address = residency.ownerAddress(segment) + ((long) index << pageShift);
            UnsafeApi.setMemory(address, pageSize, (byte) 0);
        } catch (RuntimeException | Error ex) {
            pages.give(pageId); // the mapping failed: the id goes back, nothing else changed
            throw ex;
        }
        // Lifetime before state word: a reader that sees the page in the snapshot's lists reads the lifetime first.
        segment.lifetimes.set(index, PageState.lifetime(epoch, 0));
        segment.states.set(index, PageState.word(epoch, ALLOCATED));
        dirty.mark(pageId);
        allocatedPages++;
        return pageId;
    }

    /**
     * Frees a page. Its id may be returned by a later {@link #allocatePage()}; if a snapshot in flight contains the
     * page, not before no snapshot in flight can reach it. No cursor may hold the page: the store does not track
     * cursors per page, and a cursor left on a freed page would write into whatever the id is reallocated to.
     *
     * @throws StateAccessException if the page is not allocated.
     */
    public void freePage(long pageId) {
        requireOpen();
        final Segment segment = pages.ownerSegment(requireKnown(pageId));
        final int index = pages.indexOf(pageId);
        final long word = segment.states.get(index);
        requireAllocated(pageId, word);
        final long lifetime = segment.lifetimes.get(index);
        segment.lifetimes.set(index, PageState.lifetime((int) lifetime, epoch));
        if (snapshots.anyContains(lifetime)) {
            // Content, epoch and chain stay for the readers (a concurrent copy stays valid: the epoch is unchanged).
            // Only the owner writes state words: a volatile store, no CAS.
            segment.states.set(index, (word & ~ALLOCATED) | RETIRED);
            versions.retire(pageId, epoch);
        } else {
            pages.give(pageId);
        }
        allocatedPages--;
    }

    /**
     * Owner: a stamp that changes whenever a segment is unmapped. An address from {@link #readAddress} or
     * {@link #writeAddress} stays valid while the stamp is unchanged, so a caller may cache page addresses and
     * revalidate them with one plain load. No atomic, no volatile.
     */
    public long addressStamp() {
        return residency.unmaps;
    }

    /**
     * Owner: a stamp that changes with every epoch and whenever a segment is unmapped. A page passed to
     * {@link #writeAddress} since the stamp last changed may be written through the returned address again without
     * calling it (its first write in the epoch is done: dirty marking and copy-on-write happened). No atomic, no
     * volatile.
     */
    public long writeStamp() {
        return ((long) epoch << 40) ^ residency.unmaps;
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
     * write access of a page in an epoch marks it dirty and, if a snapshot in flight still has to read the page's
     * content, copies it to a side page first (slow path). Afterwards, and for every later write access in the epoch:
     * one plain load of the page's state word, one compare, no atomic, no volatile access, no allocation. Writes
     * through the address must be done before the next {@link #beginSnapshot()}/{@link #beginIncrementalSnapshot()}.
     *
     * @throws io.tidemark.StorageSpaceException if the copy needs a side page and growth finds no space.
     */
    public long writeAddress(long pageId) {
        final Segment segment = pages.ownerSegment(pageId);
        final int index = pages.indexOf(pageId);
        final long address = residency.ownerAddress(segment) + ((long) index << pageShift);
        // Plain load: only this thread writes state words, and a word matching the fast path was written by it in
        // this epoch, after any copy the epoch's first write needed.
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
     * and, if a snapshot in flight still has to read the page's content, copies it to a side page first.
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
            beforeFirstWrite(pageId, segment, index, segment.states.getPlain(index), address);
        } finally {
            segment.ownerHolds--;
        }
    }

    /**
     * The first write to the page in this epoch: mark it dirty, preserve its content if a snapshot in flight still has
     * to read it, stamp the word with the current epoch.
     */
    private void beforeFirstWrite(long pageId, Segment segment, int index, long word, long address) {
        requireAllocated(pageId, word);
        dirty.mark(pageId);
        long next = PageState.word(epoch, ALLOCATED) | (word & CHAIN_MASK);
        if (snapshots.needsVersion(pageId, PageState.epoch(word))) {
            next = PageState.withOlder(next, versions.preserve(pageId, word, address, epoch));
        }
        // Volatile store (release): the side page's bytes and word, written above, are visible to a reader that sees
        // the new link.
        segment.states.set(index, next);
        // Store-store fence: the caller's plain stores into the page, after we return, must not become visible before
        // the new epoch in the word. A reader that copied the live page re-checks the word's epoch; this fence is
        // what makes "same epoch" imply "no store of this epoch in my copy".
        VarHandle.storeStoreFence();
    }

    void release(Segment segment, boolean writable) {
        segment.ownerHolds--;
        if (writable) {
            writeCursors--;
        }
    }

    /**
     * Starts a full snapshot: its read set is every page allocated now. O(1) in the number of pages (an epoch bump and
     * a dirty-set swap); never waits for a reader.
     *
     * @return the view for the snapshot's reader thread.
     * @throws StateAccessException if {@code maxSnapshotsInFlight} snapshots are in flight or a write cursor is held
     *     (its later writes would be neither in the snapshot nor preserved).
     * @throws StateSizeException if the epoch counter is exhausted (2^31 - 2 snapshots).
     */
    public PageSnapshot beginSnapshot() {
        return begin(false);
    }

    /**
     * Starts an incremental snapshot: its read set is every page allocated now and allocated or first written since
     * the begin of the last confirmed snapshot (every allocated page if none is confirmed). O(1) as
     * {@link #beginSnapshot()}: the read set is the chain of frozen per-epoch dirty sets since then, walked by the
     * reader, never copied.
     *
     * @throws StateAccessException as {@link #beginSnapshot()}.
     * @throws StateSizeException as {@link #beginSnapshot()}.
     */
    public PageSnapshot beginIncrementalSnapshot() {
        return begin(true);
    }

    private PageSnapshot begin(boolean incremental) {
        requireOpen();
        snapshots.requireRoom();
        if (writeCursors != 0) {
            throw new StateAccessException(
                    "cannot begin a snapshot while write cursors are held: writeCursors=" + writeCursors + ", limit=0");
        }
        if (epoch == Integer.MAX_VALUE) {
            throw new StateSizeException("snapshot epochs exhausted: epoch=" + epoch + ", limit=" + Integer.MAX_VALUE);
        }
        final int snapshotEpoch = epoch;
        final int base = dirty.baseFor(dirty.lastConfirmed());
        final DirtySet frozen = dirty.freeze(snapshotEpoch);
        epoch = snapshotEpoch + 1;
        fastPathWord = (epoch & EPOCH_MASK) | ALLOCATED;
        final PageSnapshot snapshot = new PageSnapshot(
                pages, residency, pageSize, snapshotEpoch, pages.pageCount(), incremental, base, frozen);
        snapshots.add(snapshot);
        return snapshot;
    }

    /**
     * The snapshot's reader is done, successfully or not (its last call must have happened-before): the snapshot
     * stops needing copies, and side pages and retired pages no snapshot in flight can reach go back to the free
     * list. Any order among the snapshots in flight. Costs O(pages given back), plus O(pages / 64) per dirty set no
     * longer needed.
     *
     * @throws StateAccessException if {@code snapshot} is not in flight in this store.
     */
    public void endSnapshot(PageSnapshot snapshot) {
        requireOpen();
        if (snapshot == null || !snapshots.remove(snapshot)) {
            throw new StateAccessException(
                    "not a snapshot in flight: snapshot=" + snapshot + ", inFlight=" + snapshots.count());
        }
        snapshot.end();
        versions.collectThrough(snapshots.oldestEpoch(epoch));
        dirty.ended(snapshot.epoch(), snapshots, epoch, pages.pageCount());
    }

    /**
     * The snapshot is durable: later incremental snapshots read only pages changed since it began. Before or after
     * {@link #endSnapshot}; confirming a snapshot older than the newest confirmed one does nothing.
     *
     * @throws StateAccessException if {@code snapshot} is null or of another store.
     */
    public void confirmSnapshot(PageSnapshot snapshot) {
        requireOpen();
        if (snapshot == null || !snapshot.isOf(pages)) {
            throw new StateAccessException("not a snapshot of this store: snapshot=" + snapshot);
        }
        dirty.confirmed(snapshot.epoch(), snapshots, epoch, pages.pageCount());
    }

    /** {@link #endSnapshot} then {@link #confirmSnapshot}: the snapshot succeeded. */
    public void completeSnapshot(PageSnapshot snapshot) {
        endSnapshot(snapshot);
        confirmSnapshot(snapshot);
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
        snapshots.endAll();
        residency.unmapAll();
        try {
            pages.deleteFiles();
        } finally {
            directory.close();
        }
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

    /** Pages allocated by callers (side pages and retired pages excluded). Owner thread. */
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

    /** The most recently begun snapshot in flight, or null. Owner thread. */
    public PageSnapshot snapshotInFlight() {
        return snapshots.newest();
    }

    /** Snapshots begun and not ended. Owner thread. */
    public int snapshotsInFlight() {
        return snapshots.count();
    }

    /** Epoch of the newest confirmed snapshot, 0 if none. Owner thread. */
    public int lastConfirmedEpoch() {
        return dirty.lastConfirmed();
    }

    /** Pages copied to side pages since open. Owner thread. */
    public long copiesOnWrite() {
        return versions.copies();
    }

    /** Side pages holding versions for snapshots in flight now. Owner thread. */
    public int sidePages() {
        return versions.sidePages();
    }

    /** Pages freed but kept for a snapshot in flight now. Owner thread. */
    public int retiredPages() {
        return versions.retiredPages();
    }

    /** Frozen per-epoch dirty sets kept now (bounded by what snapshots in flight and the next incremental need). */
    public int retainedDirtySets() {
        return dirty.retained();
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

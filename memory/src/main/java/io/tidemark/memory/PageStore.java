package io.tidemark.memory;

import static io.tidemark.memory.PageState.ALLOCATED;
import static io.tidemark.memory.PageState.CHAIN_MASK;
import static io.tidemark.memory.PageState.EPOCH_MASK;
import static io.tidemark.memory.PageState.FAST_PATH_MASK;
import static io.tidemark.memory.PageState.RETIRED;
import static io.tidemark.memory.Segment.ADDRESS_MASK;
import static io.tidemark.memory.Segment.REFERENCED;
import static io.tidemark.memory.Segment.WRITABLE;

import io.tidemark.StateAccessException;
import io.tidemark.StateSizeException;
import io.tidemark.StorageIOException;
import java.lang.invoke.VarHandle;
import org.agrona.UnsafeApi;

/**
 * Fixed-size pages of off-heap memory with a resident budget (pages beyond it wait in sparse segment files),
 * copy-on-write snapshots and dirty-page tracking. Knows nothing about what the pages hold.
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
 * snapshots are in flight allocate nothing either once warm, unless the store must grow (a segment descriptor) or the
 * frame pool must add a chunk of frames (cold, allocates). {@link #beginSnapshot()} and
 * {@link #beginIncrementalSnapshot()} allocate two small objects and run in O(1): an epoch bump and a dirty-set swap,
 * no loop over pages, and they never wait for a reader.
 *
 * <h2>Owner-only residency and validity of page memory</h2>
 *
 * A resident page lives in a frame of {@code pageSize} off-heap bytes; at most {@code residentBudget / pageSize}
 * pages are resident, and a clock evicts the others to their segment files (see {@code Residency}). Only the owner
 * fills and evicts frames; its accesses take no pin and execute no atomic operation or volatile access on the fast
 * path. An address from {@link #readAddress}/{@link #writeAddress} stays valid until the owner's next call that may
 * evict (any address, acquire, allocation, free or snapshot call); {@link #addressStamp()} tells whether one did. A
 * {@link PageCursor} keeps its page resident until released (a plain counter, owner thread). The snapshot reader
 * never faults a page in: it copies the page's frame under a reader pin (eviction skips that page) or reads the
 * segment file.
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
 * {@link io.tidemark.StorageSpaceException} when a frame is needed and the write-back that would free one finds no
 * space (disk full, file-size limit, quota) while no clean page can leave instead: from the call that needed the frame,
 * with the page that could not be written still resident and nothing lost; {@link StorageIOException} for other I/O
 * failures; {@link StateSizeException} when the store would exceed {@code maxStoreSize}; {@link StateAccessException}
 * for misuse (unknown or free page id, cursor already holding a page, snapshot calls out of order, closed store).
 * No method leaves the store inconsistent when it throws.
 *
 * <h2>Files</h2>
 *
 * Segment files are working files, never trusted across a restart: created sparse at the first write-back of one of
 * their pages, never mapped or fsynced. {@link #open} deletes leftover segment files in the state directory,
 * {@link #close()} deletes the store's own. A lock file ({@value #LOCK_FILE}, left in place)
 * keeps a second store, in this process or another, out of the directory.
 */
public final class PageStore implements AutoCloseable {
    /** Name of the directory lock file. */
    public static final String LOCK_FILE = "pages.lock";

    private final PageStoreContext context;
    private final int pageSize;
    private final StateDirectory directory;
    private final SegmentFiles files;
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
        this.directory = directory;
        this.files = new SegmentFiles(context.stateDirectory(), pageSize, context.fileChannelFactory());
        this.residency = new Residency(files, context.residentBudget(), pageSize);
        this.pages = new PageAllocator(context, files, residency);
        this.versions = new PageVersions(pages, residency, pageSize);
        this.snapshots = new SnapshotRegistry(context.maxSnapshotsInFlight());
    }

    /**
     * Opens an empty store in the context's state directory: concludes the context if needed, creates the directory,
     * takes the directory lock and deletes leftover segment files. No segment file is created until a page must leave
     * memory.
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
     * Allocates a zero-filled, resident page, growing the store by one segment if no page is free. The page takes a
     * frame, which may evict another page.
     *
     * @return the page id, stable until the page is freed.
     * @throws io.tidemark.StorageSpaceException if no frame can be freed because the disk is full.
     * @throws StateSizeException if growth would exceed {@code maxStoreSize}.
     */
    public long allocatePage() {
        return allocate(true);
    }

    /**
     * Allocates a page whose every byte the caller overwrites before anything reads it (a restore copying pages in):
     * as {@link #allocatePage()} without zero-filling the frame. Owner thread.
     *
     * @throws io.tidemark.StorageSpaceException as {@link #allocatePage()}.
     */
    public long allocatePageForOverwrite() {
        return allocate(false);
    }

    private long allocate(boolean zero) {
        requireOpen();
        final long pageId = pages.take();
        dirty.ensureCapacity(pages.pageCount());
        final Segment segment = pages.ownerSegment(pageId);
        final int index = pages.indexOf(pageId);
        final long address;
        try {
            address = residency.fresh(segment, index);
        } catch (RuntimeException | Error ex) {
            pages.give(pageId); // no frame: the id goes back, nothing else changed
            throw ex;
        }
        if (zero) {
            UnsafeApi.setMemory(address, pageSize, (byte) 0);
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
     * Owner: a stamp that changes at every eviction round (pages evicted or written back). An address from
     * {@link #readAddress} or {@link #writeAddress} of a page still allocated stays valid while the stamp is
     * unchanged, so a caller may cache page addresses and revalidate them with one plain load. No atomic, no volatile.
     */
    public long addressStamp() {
        return residency.stamp;
    }

    /**
     * Owner: a stamp that changes with every epoch and at every eviction round. A page passed to {@link #writeAddress}
     * since the stamp last changed may be written through the returned address again without calling it (its first
     * write in the epoch is done: dirty marking for snapshots and for write-back, and copy-on-write, happened). No
     * atomic, no volatile.
     */
    public long writeStamp() {
        return ((long) epoch << 40) ^ residency.stamp;
    }

    /**
     * Owner hot path: the address of the page's first byte, for reading. While the page is resident and its clock bit
     * set: one plain load of its frame word and a test, no atomic operation, no volatile access, no allocation (setting
     * the clock bit is a plain store; reading an evicted page back from its file is the cold path). The address is
     * valid until the owner's next call into this store that may evict (any {@code *Address}, {@code acquire*},
     * {@link #allocatePage()}, {@link #freePage} or snapshot call), unless a cursor holds the page; see
     * {@link #addressStamp()}. The caller passes a page it allocated and has not freed; the id is not checked here
     * ({@link #acquireRead} checks it).
     *
     * @throws StorageIOException if the page must be read back and its segment file cannot be read.
     * @throws io.tidemark.StorageSpaceException if no frame can be freed because the disk is full.
     */
    public long readAddress(long pageId) {
        final Segment segment = pages.ownerSegment(pageId);
        final int index = pages.indexOf(pageId);
        long frame = segment.frames[index];
        if ((frame & REFERENCED) == 0) {
            frame = residency.touch(segment, index);
        }
        return frame & ADDRESS_MASK;
    }

    /**
     * Owner hot path: the address of the page's first byte, for writing, valid as for {@link #readAddress}. The first
     * write access of a page in an epoch marks it dirty and, if a snapshot in flight still has to read the page's
     * content, copies it to a side page first (slow path). Afterwards, and for every later write access in the epoch:
     * plain loads of the page's frame word and state word, two compares, no atomic, no volatile access, no allocation
     * (a page read back or written back since its last write access takes the cold path once to mark its frame dirty).
     * Writes through the address must be done before the next {@link #beginSnapshot()} /
     * {@link #beginIncrementalSnapshot()} and before the next call that may evict.
     *
     * @throws io.tidemark.StorageSpaceException if a frame is needed (read-back or side page) and none can be freed
     *     because the disk is full.
     * @throws StorageIOException if the page must be read back and its segment file cannot be read.
     */
    public long writeAddress(long pageId) {
        final Segment segment = pages.ownerSegment(pageId);
        final int index = pages.indexOf(pageId);
        long frame = segment.frames[index];
        if ((frame & WRITABLE) != WRITABLE) {
            frame = residency.touchForWrite(segment, index);
        }
        final long address = frame & ADDRESS_MASK;
        // Plain load: only this thread writes state words, and a word matching the fast path was written by it in
        // this epoch, after any copy the epoch's first write needed.
        if ((segment.states.getPlain(index) & FAST_PATH_MASK) != fastPathWord) {
            firstWrite(pageId, segment, index, address);
        }
        return address;
    }

    /**
     * Holds the page for reading through {@code cursor}: it stays resident while the cursor holds it (reading it back
     * from its segment file first if it was evicted).
     *
     * @return {@code cursor}, now wrapping the page until {@link PageCursor#release()}.
     * @throws StateAccessException if the page is not allocated or the cursor already holds a page.
     * @throws StorageIOException if the page must be read back and its segment file cannot be read.
     * @throws io.tidemark.StorageSpaceException if no frame can be freed because the disk is full.
     */
    public PageCursor acquireRead(long pageId, PageCursor cursor) {
        cursor.requireReleased();
        final Segment segment = pages.ownerSegment(requireKnown(pageId));
        final int index = pages.indexOf(pageId);
        requireAllocated(pageId, segment.states.getPlain(index));
        final long address = readAddress(pageId);
        segment.holds[index]++;
        cursor.wrap(this, segment, index, pageId, address, pageSize, false);
        return cursor;
    }

    /**
     * Holds the page for writing through {@code cursor}; it stays resident while the cursor holds it. The first write
     * acquire of a page in an epoch marks it dirty and, if a snapshot in flight still has to read the page's content,
     * copies it to a side page first.
     *
     * @return {@code cursor}, now wrapping the page until {@link PageCursor#release()}.
     * @throws StateAccessException if the page is not allocated or the cursor already holds a page.
     * @throws io.tidemark.StorageSpaceException if a frame is needed (read-back or side page) and none can be freed
     *     because the disk is full.
     */
    public PageCursor acquireWrite(long pageId, PageCursor cursor) {
        cursor.requireReleased();
        final Segment segment = pages.ownerSegment(requireKnown(pageId));
        final int index = pages.indexOf(pageId);
        requireAllocated(pageId, segment.states.getPlain(index));
        final long address = writeAddress(pageId);
        segment.holds[index]++;
        writeCursors++;
        cursor.wrap(this, segment, index, pageId, address, pageSize, true);
        return cursor;
    }

    /** The slow path of {@link #writeAddress}: holds the page resident while a side page takes a frame. */
    private void firstWrite(long pageId, Segment segment, int index, long address) {
        segment.holds[index]++;
        try {
            beforeFirstWrite(pageId, segment, index, segment.states.getPlain(index), address);
        } finally {
            segment.holds[index]--;
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

    void release(Segment segment, int index, boolean writable) {
        segment.holds[index]--;
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
     * Frees every frame, deletes every segment file and releases the directory. Ends a snapshot in flight; the
     * snapshot reader must be done. Idempotent.
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
        residency.releaseAll();
        try {
            files.closeChannels();
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

    /** Segments (ranges of {@code segmentSize / pageSize} page ids) the store has grown to. Owner thread. */
    public int segmentCount() {
        return pages.segmentCount();
    }

    /** Segment files created so far: one per segment that had a page written back. Owner thread. */
    public int segmentFiles() {
        return files.created();
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

    /**
     * Owner: sets the bytes of page frames the store may keep resident, for a caller that shares one resident budget
     * between this store and memory of its own (the off-heap backend's log index grows by doubling and takes its share
     * from the frames). At least {@link PageStoreContext#MIN_RESIDENT_PAGES} pages; a smaller budget than the frames
     * resident now is reached by eviction at the next frame taken. Allocates nothing.
     */
    public void frameBudget(long bytes) {
        requireOpen();
        residency.setMaxFrames(
                (int) Math.min(PageState.MAX_PAGES, Math.max(PageStoreContext.MIN_RESIDENT_PAGES, bytes / pageSize)));
    }

    /** Bytes of frame memory allocated now, used or free: what the frames add to the process's memory. Owner. */
    public long frameMemoryBytes() {
        return residency.frameMemoryBytes();
    }

    /**
     * Bytes of resident pages now: pages holding a frame, times {@code pageSize}. Any thread: a racy read of a counter
     * the owner maintains (a value a moment old when read from another thread; for metrics). Allocates nothing.
     */
    public long residentBytes() {
        return residency.residentBytes();
    }

    /**
     * Bytes of live pages (allocated, retired or side pages) whose content is only in their segment files now: evicted
     * and not read back since, times {@code pageSize}. Any thread, as {@link #residentBytes()}; 0 after {@link #close}.
     */
    public long spilledBytes() {
        return residency.spilledBytes();
    }

    /** The most bytes of pages that were ever resident at once. Owner thread. */
    public long maxResidentBytesSeen() {
        return residency.maxResidentBytesSeen();
    }

    /** Pages the budget allows to be resident at once: {@code residentBudget / pageSize}. Any thread. */
    public int maxResidentPages() {
        return residency.maxFrames();
    }

    /** Pages read back from segment files into a frame since open (the owner's page faults). Owner thread. */
    public long pageLoads() {
        return residency.loads();
    }

    /** Pages evicted (their frame freed for another page) to stay within the budget since open. Owner thread. */
    public long pageEvictions() {
        return residency.evictions();
    }

    /** Pages written back to segment files since open (dirty pages chosen for eviction). Owner thread. */
    public long pageWriteBacks() {
        return residency.writeBacks();
    }

    /** Frames taken over the budget because every resident page was held or pinned. Owner thread. */
    public long overBudgetFrames() {
        return residency.overBudgetFrames();
    }

    /** Write-backs that found no space on disk (their page stayed resident and dirty). Owner thread. */
    public long writeBackSpaceFailures() {
        return residency.spaceFailures();
    }

    public PageStoreContext context() {
        return context;
    }
}

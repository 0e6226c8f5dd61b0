package io.tidemark.memory;

import static io.tidemark.memory.Segment.ADDRESS_MASK;
import static io.tidemark.memory.Segment.DIRTY;
import static io.tidemark.memory.Segment.EVICTING;
import static io.tidemark.memory.Segment.REFERENCED;
import static io.tidemark.memory.Segment.WRITABLE;

import io.tidemark.StorageSpaceException;
import java.util.Arrays;

/**
 * Page-level residency: at most {@code residentBudget / pageSize} pages hold a frame ({@link FrameMemory}); the
 * others live in their segment files. A clock over the frames' slots picks what leaves: the owner's accesses set a
 * page's {@link Segment#REFERENCED} bit (a plain store), the sweeping hand clears it, and a page found with the bit
 * clear is evicted: written back first if {@link Segment#DIRTY}, then its frame is freed for reuse. An eviction round
 * frees a small batch of frames at once ({@code clamp(frames / 64, 1, 32)}), so that callers caching addresses
 * against {@link #stamp} revalidate once per batch, not once per fault.
 *
 * <h2>Threads</h2>
 *
 * Owner-only residency: only the owner thread fills, writes back and frees frames. Its fast path (in
 * {@link PageStore}) is a plain load of the page's frame word: no atomic, no volatile, no pin. The snapshot reader
 * never faults a page in: {@link #readerPin} pins the page's frame if it has one (a CAS on the page's pin count) and
 * otherwise returns 0, and the reader reads the page from the segment file, which holds the content because a frame is
 * freed only after its write-back. Eviction takes a frame away only after a CAS of the pin count from 0 to
 * {@link Segment#EVICTING}: a page being copied by a reader is skipped. Statistics are owner-thread fields.
 *
 * <h2>Budget and errors</h2>
 *
 * If every resident page is held (cursors) or pinned when a frame is needed, the page gets one over budget
 * ({@link #overBudgetFrames()} counts it) and later rounds evict back down. A write-back that finds the disk full
 * leaves its page resident and dirty; the round goes on looking for clean pages, and if it frees none the operation
 * that needed the frame fails with the {@link StorageSpaceException} (nothing is lost; it may be retried). Other I/O
 * failures propagate as {@link io.tidemark.StorageIOException}, leaving every page as it was.
 */
final class Residency {
    private static final int MAX_BATCH = 32;

    private final SegmentFiles files;
    private final FrameMemory memory;
    private final int pageSize;
    private int maxFrames;
    private int batch;

    /** Per slot: the segment and page index whose frame it is; null segment while free. */
    private Segment[] slotSegments = new Segment[0];

    private int[] slotIndexes = new int[0];
    private int[] freeSlots = new int[0];
    private int freeCount;
    private int hand;
    private int resident;
    /**
     * Live pages whose content is only in their segment files: evicted and neither read back nor given back since.
     * Owner writes (plain); any thread may read it racily for metrics.
     */
    private int spilled;

    private int maxResidentSeen;
    private long loads;
    private long evictions;
    private long writeBacks;
    private long overBudgetFrames;
    private long spaceFailures;
    /** Changes at every eviction round and every write-back; owner thread only (see PageStore#addressStamp). */
    long stamp;

    Residency(SegmentFiles files, long residentBudget, int pageSize) {
        this.files = files;
        this.memory = new FrameMemory(pageSize);
        this.pageSize = pageSize;
        this.maxFrames = (int) Math.min(PageState.MAX_PAGES, residentBudget / pageSize);
        this.batch = Math.max(1, Math.min(MAX_BATCH, maxFrames / 64));
    }

    /**
     * Owner: the page's frame word, filling a frame from the file if the page has none. A page just read back starts
     * without its clock bit: one access (a scan) leaves it first in line for eviction, and the next access sets the
     * bit, which gives it the second chance that keeps hot pages resident.
     */
    long touch(Segment segment, int index) {
        final long frame = segment.frames[index];
        if (frame == 0) {
            return load(segment, index);
        }
        segment.frames[index] = frame | REFERENCED;
        return frame | REFERENCED;
    }

    /** Owner: as {@link #touch}, and marks the frame dirty: the caller writes the page. */
    long touchForWrite(Segment segment, int index) {
        final long frame = segment.frames[index];
        final long touched = frame == 0 ? load(segment, index) | DIRTY : frame | WRITABLE;
        segment.frames[index] = touched;
        return touched;
    }

    /**
     * Owner: a frame for a page whose every byte the caller is about to overwrite (allocation, a side page): taken
     * without reading the file, marked dirty. Returns the frame's address.
     */
    long fresh(Segment segment, int index) {
        long frame = segment.frames[index];
        if (frame == 0) {
            final int slot = takeSlot();
            frame = memory.address(slot);
            bind(slot, segment, index, frame);
        }
        segment.frames[index] = frame | DIRTY;
        return frame & ADDRESS_MASK;
    }

    /** Fills a frame with the page's content from the segment file. */
    private long load(Segment segment, int index) {
        final int slot = takeSlot();
        final long address = memory.address(slot);
        try {
            files.read(segment, index, address);
        } catch (RuntimeException ex) {
            pushFree(slot);
            throw ex;
        }
        bind(slot, segment, index, address);
        spilled--;
        loads++;
        return address;
    }

    private void bind(int slot, Segment segment, int index, long address) {
        slotSegments[slot] = segment;
        slotIndexes[slot] = index;
        segment.slots[index] = slot;
        segment.frames[index] = address;
        // Volatile store after the content: a reader that pins the page and sees the address sees the bytes.
        segment.sharedFrames.set(index, address);
        resident++;
        if (resident > maxResidentSeen) {
            maxResidentSeen = resident;
        }
    }

    private int takeSlot() {
        if (resident >= maxFrames) {
            evictRound();
            if (resident >= maxFrames) {
                overBudgetFrames++;
            }
        }
        if (freeCount == 0) {
            growMemory();
        }
        return freeSlots[--freeCount];
    }

    private void growMemory() {
        final int first = memory.capacity();
        memory.grow();
        final int capacity = memory.capacity();
        slotSegments = Arrays.copyOf(slotSegments, capacity);
        slotIndexes = Arrays.copyOf(slotIndexes, capacity);
        freeSlots = Arrays.copyOf(freeSlots, capacity);
        for (int slot = capacity - 1; slot >= first; slot--) {
            freeSlots[freeCount++] = slot;
        }
    }

    private void pushFree(int slot) {
        slotSegments[slot] = null;
        freeSlots[freeCount++] = slot;
    }

    /**
     * One sweep of the clock hand, freeing frames until {@code batch} are free below the budget or two turns found
     * none. Changes {@link #stamp}: write-backs clear dirty bits and evictions move pages, so every address and write
     * permission cached by the owner's callers must be taken again.
     */
    private void evictRound() {
        stamp++;
        final int goal = Math.max(0, maxFrames - batch);
        final int capacity = memory.capacity();
        StorageSpaceException space = null;
        for (int step = 0, limit = 2 * capacity; step < limit && resident > goal; step++) {
            final int slot = hand;
            hand = hand + 1 == capacity ? 0 : hand + 1;
            final Segment segment = slotSegments[slot];
            if (segment == null) {
                continue;
            }
            final int index = slotIndexes[slot];
            final long frame = segment.frames[index];
            if (segment.holds[index] > 0) {
                continue;
            }
            if ((frame & REFERENCED) != 0) {
                segment.frames[index] = frame & ~REFERENCED;
                continue;
            }
            if ((frame & DIRTY) != 0) {
                if (space != null) {
                    continue; // the disk is full: only clean pages can leave now
                }
                try {
                    writeBack(segment, index, frame);
                } catch (StorageSpaceException ex) {
                    spaceFailures++;
                    space = ex;
                    continue;
                }
            }
            // The file holds the content now. A reader copying the page keeps its frame: skip it (it stays clean).
            if (segment.readerPins.compareAndSet(index, 0, EVICTING)) {
                release(slot, segment, index);
                segment.readerPins.set(index, 0);
                evicted(segment, index);
            }
        }
        if (space != null && resident >= maxFrames) {
            throw space;
        }
    }

    private void writeBack(Segment segment, int index, long frame) {
        files.write(segment, index, frame & ADDRESS_MASK);
        segment.frames[index] = frame & ~DIRTY;
        writeBacks++;
    }

    /**
     * Counts an eviction. The page is spilled now unless it was already free (a frame kept past {@link #drop} by a
     * reader's pin holds no content).
     */
    private void evicted(Segment segment, int index) {
        evictions++;
        if (segment.states.getPlain(index) != PageState.FREE) {
            spilled++;
        }
    }

    /** Frees the page's frame; the caller holds the page's pin at {@link Segment#EVICTING}. */
    private void release(int slot, Segment segment, int index) {
        // Cleared before the pin count leaves EVICTING: a reader that pins next sees 0 and reads the file.
        segment.sharedFrames.set(index, 0);
        segment.frames[index] = 0;
        segment.slots[index] = -1;
        pushFree(slot);
        resident--;
    }

    /**
     * Owner: the page went back to the free list; its content no longer matters, so its frame is freed without a
     * write-back. No reader can reach a free page; should a pin be in place anyway, the frame stays, marked clean.
     *
     * @param live whether the page held content (allocated, retired or a side page), as opposed to an id given back
     *     right after a failed allocation: a live page without a frame was spilled and no longer is
     */
    void drop(Segment segment, int index, boolean live) {
        final int slot = segment.slots[index];
        if (slot < 0) {
            if (live) {
                spilled--;
            }
            return;
        }
        if (segment.readerPins.compareAndSet(index, 0, EVICTING)) {
            release(slot, segment, index);
            segment.readerPins.set(index, 0);
        } else {
            segment.frames[index] &= ~WRITABLE;
        }
    }

    /**
     * Snapshot reader: pins the page's frame and returns its address, valid until {@link #readerUnpin}; returns 0
     * (nothing pinned) if the page has no frame: read the segment file instead.
     */
    long readerPin(Segment segment, int index) {
        while (true) {
            final int pins = segment.readerPins.get(index);
            if (pins < 0) {
                return 0; // the owner is evicting: it wrote the page back before it took the pin word
            }
            // Several snapshot readers may pin one page at once: a lost race with another reader is retried, never
            // taken for "no frame" (the page may have no file content yet: it was never written back).
            if (segment.readerPins.compareAndSet(index, pins, pins + 1)) {
                // The owner frees a frame only after a CAS from 0 to EVICTING and clears sharedFrames before it
                // resets the count: with our pin in place the address stays this page's frame, or it is already 0.
                final long address = segment.sharedFrames.get(index);
                if (address != 0) {
                    return address;
                }
                segment.readerPins.decrementAndGet(index);
                return 0;
            }
        }
    }

    void readerUnpin(Segment segment, int index) {
        segment.readerPins.decrementAndGet(index);
    }

    /** Frees all frame memory. Called by the owner on close, when no reader copies. */
    void releaseAll() {
        memory.free();
        resident = 0;
        spilled = 0;
    }

    long residentBytes() {
        return (long) resident * pageSize;
    }

    /** Any thread (racy read of an owner-written int): bytes of live pages only in segment files now. */
    long spilledBytes() {
        return (long) spilled * pageSize;
    }

    long maxResidentBytesSeen() {
        return (long) maxResidentSeen * pageSize;
    }

    /**
     * Owner: a new frame budget. A smaller one also gives memory back: the pages in frames of the chunks above the
     * new budget are written back if dirty and leave (a page a reader copies or a cursor holds keeps its chunk), and
     * the chunks no page uses any more are freed, so that memory a caller takes for itself (the log index) is not on
     * top of frames kept from before.
     */
    void setMaxFrames(int frames) {
        maxFrames = frames;
        batch = Math.max(1, Math.min(MAX_BATCH, frames / 64));
        final int perChunk = memory.framesPerChunk();
        final int keepChunks = (frames + perChunk - 1) / perChunk;
        if (keepChunks * perChunk >= memory.capacity()) {
            return;
        }
        stamp++;
        int highestUsed = -1;
        for (int slot = keepChunks * perChunk; slot < memory.capacity(); slot++) {
            final Segment segment = slotSegments[slot];
            if (segment == null) {
                continue;
            }
            final int index = slotIndexes[slot];
            final long frame = segment.frames[index];
            if (segment.holds[index] == 0) {
                if ((frame & DIRTY) != 0) {
                    try {
                        writeBack(segment, index, frame);
                    } catch (StorageSpaceException ex) {
                        spaceFailures++; // the disk is full: the page keeps its frame and its chunk stays
                        highestUsed = slot;
                        continue;
                    }
                }
                if (segment.readerPins.compareAndSet(index, 0, EVICTING)) {
                    release(slot, segment, index);
                    segment.readerPins.set(index, 0);
                    evicted(segment, index);
                    continue;
                }
            }
            highestUsed = slot;
        }
        final int keep = Math.max(keepChunks, (highestUsed + perChunk) / perChunk);
        memory.shrink(keep);
        final int capacity = memory.capacity();
        int kept = 0;
        for (int i = 0; i < freeCount; i++) {
            if (freeSlots[i] < capacity) {
                freeSlots[kept++] = freeSlots[i];
            }
        }
        freeCount = kept;
        if (hand >= capacity) {
            hand = 0;
        }
    }

    /** Bytes of frame memory allocated now (used or free). */
    long frameMemoryBytes() {
        return memory.allocatedBytes();
    }

    int maxFrames() {
        return maxFrames;
    }

    long loads() {
        return loads;
    }

    long evictions() {
        return evictions;
    }

    long writeBacks() {
        return writeBacks;
    }

    long overBudgetFrames() {
        return overBudgetFrames;
    }

    long spaceFailures() {
        return spaceFailures;
    }
}

package io.tidemark.memory;

import java.util.Arrays;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;

/**
 * Keeps at most {@code maxResident} segments mapped, unmapping the least recently used ones (clock algorithm: one
 * {@link Segment#referenced} bit per segment, clear when mapped, set by every later owner access, cleared by the
 * sweeping hand) and mapping a segment back when the owner touches it again. Unmapped segments stay on disk with their
 * content.
 *
 * <h2>Threads</h2>
 *
 * Owner-only residency: only the owner thread maps and unmaps ({@link #ownerAddress}, {@link #unmapAll}). Its fast
 * path is a plain load of {@link Segment#ownerAddress}: no atomic, no volatile access, no pin. The snapshot reader
 * never maps: {@link #readerPin} takes the mapping if it is there (one CAS on the reader's side) and otherwise returns
 * 0, and the reader reads the page from the segment file. Eviction skips a segment the reader holds (its unmapping is
 * deferred to a later eviction) and a segment the owner holds through a cursor. Statistics getters may be called from
 * any thread (they take this object's monitor, as mapping does).
 *
 * <p>Budget: a mapping evicts unpinned segments until one slot is free. If every resident segment is held at that
 * moment, the segment is mapped anyway ({@link #overBudgetMaps()} counts it) and the excess is evicted by the next
 * mapping; with the documented usage (the owner holds at most a few cursors, each snapshot reader one segment at a time) and
 * the minimum budget this does not happen.
 */
final class Residency {
    private final SegmentFiles files;
    private final int maxResident;
    private final long segmentSize;

    private Segment[] segments = new Segment[0];
    private int segmentCount;
    private int hand;
    private int resident;
    private long maps;
    private long evictions;
    private long overBudgetMaps;
    private int maxResidentSeen;

    Residency(SegmentFiles files, long residentBudget, int segmentSize) {
        this.files = files;
        this.segmentSize = segmentSize;
        this.maxResident = (int) Math.min(Integer.MAX_VALUE, residentBudget / segmentSize);
    }

    /** Makes {@code segment} known to the clock. Called by the owner when the store grows. */
    synchronized void add(Segment segment) {
        if (segmentCount == segments.length) {
            segments = Arrays.copyOf(segments, Math.max(16, segmentCount * 2));
        }
        segments[segmentCount++] = segment;
    }

    /**
     * Owner thread: the base address of the segment's mapping, mapping it first if needed (which may unmap another
     * segment the owner does not hold). Valid until the owner's next mapping unless the owner holds the segment.
     */
    long ownerAddress(Segment segment) {
        final long address = segment.ownerAddress;
        if (address != 0) {
            if (!segment.referenced) {
                segment.referenced = true;
            }
            return address;
        }
        return map(segment);
    }

    /**
     * Snapshot reader: pins the mapping if the segment is mapped and returns its base address, valid until
     * {@link #readerUnpin}; returns 0 (nothing pinned) if the segment is not mapped: read the file instead.
     */
    long readerPin(Segment segment) {
        final int pins = segment.readerPins.get();
        if (pins >= 0 && segment.readerPins.compareAndSet(pins, pins + 1)) {
            // The owner unmaps only after a CAS from 0 to EVICTING, and clears sharedAddress before it resets the
            // count: with our pin in place the address we read stays mapped, or it is already 0.
            final long address = segment.sharedAddress;
            if (address != 0) {
                return address;
            }
            segment.readerPins.decrementAndGet();
        }
        return 0;
    }

    void readerUnpin(Segment segment) {
        segment.readerPins.decrementAndGet();
    }

    private synchronized long map(Segment segment) {
        while (resident >= maxResident && evictOne()) {
            // each round unmaps one segment
        }
        if (resident >= maxResident) {
            overBudgetMaps++;
        }
        // A segment starts without its clock bit: one touch (a scan) leaves it first in line for eviction, a second
        // touch gives it the second chance that keeps hot segments resident.
        segment.referenced = false;
        segment.mapping = files.map(segment.path);
        final long address = BufferUtil.address(segment.mapping);
        segment.ownerAddress = address;
        segment.sharedAddress = address;
        resident++;
        maps++;
        maxResidentSeen = Math.max(maxResidentSeen, resident);
        return address;
    }

    private boolean evictOne() {
        for (int step = 0, limit = 2 * segmentCount; step < limit; step++) {
            final Segment candidate = segments[hand];
            hand = hand + 1 == segmentCount ? 0 : hand + 1;
            if (candidate.ownerAddress == 0 || candidate.ownerHolds > 0) {
                continue;
            }
            if (candidate.referenced) {
                candidate.referenced = false;
                continue;
            }
            if (candidate.readerPins.compareAndSet(0, Segment.EVICTING)) {
                unmap(candidate);
                candidate.readerPins.set(0);
                evictions++;
                return true;
            }
        }
        return false;
    }

    private void unmap(Segment segment) {
        // sharedAddress is cleared before the reader pin count leaves EVICTING, so a reader that wins the next CAS
        // sees 0 and reads the file.
        segment.sharedAddress = 0;
        segment.ownerAddress = 0;
        IoUtil.unmap(segment.mapping);
        segment.mapping = null;
        resident--;
    }

    /** Unmaps every segment. Called by the owner on close, when no reader holds a pin. */
    synchronized void unmapAll() {
        for (int i = 0; i < segmentCount; i++) {
            if (segments[i].ownerAddress != 0) {
                unmap(segments[i]);
            }
        }
    }

    synchronized long residentBytes() {
        return resident * segmentSize;
    }

    synchronized long maxResidentBytesSeen() {
        return maxResidentSeen * segmentSize;
    }

    synchronized long maps() {
        return maps;
    }

    synchronized long evictions() {
        return evictions;
    }

    synchronized long overBudgetMaps() {
        return overBudgetMaps;
    }
}

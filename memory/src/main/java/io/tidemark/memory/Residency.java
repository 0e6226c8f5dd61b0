package io.tidemark.memory;

import java.util.Arrays;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;

/**
 * Keeps at most {@code maxResident} segments mapped, unmapping the least recently used ones (clock algorithm: one
 * {@link Segment#referenced} bit per segment, clear when mapped, set by every later pin, cleared by the sweeping hand) and mapping a segment back when
 * it is pinned again. Unmapped segments stay on disk with their content.
 *
 * <p>Thread safety: {@link #pin} and {@link #unpin} may be called by any thread. The fast path of {@code pin} is one
 * CAS on the segment's pin count; mapping and eviction run under this object's monitor.
 *
 * <p>Budget: a pin that needs a mapping evicts unpinned segments until one slot is free. If every resident segment is
 * pinned at that moment, the segment is mapped anyway ({@link #overBudgetMaps()} counts it) and the excess is evicted
 * by the next mapping; with the documented usage (owner thread holds at most a few cursors, the snapshot reader pins
 * one segment at a time) and the minimum budget this does not happen.
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
     * Pins the segment's mapping, mapping it first if needed.
     *
     * @return the base address of the mapping, valid until the matching {@link #unpin}.
     */
    long pin(Segment segment) {
        final int pins = segment.pins.get();
        if (pins >= 0 && segment.pins.compareAndSet(pins, pins + 1)) {
            final long address = segment.address;
            if (address != 0) {
                if (!segment.referenced) {
                    segment.referenced = true;
                }
                return address;
            }
            segment.pins.decrementAndGet();
        }
        return pinSlow(segment);
    }

    void unpin(Segment segment) {
        segment.pins.decrementAndGet();
    }

    private synchronized long pinSlow(Segment segment) {
        if (segment.address == 0) {
            map(segment);
        }
        // Under the monitor no eviction runs, so the count is not EVICTING and the mapping stays.
        segment.pins.incrementAndGet();
        return segment.address;
    }

    private void map(Segment segment) {
        while (resident >= maxResident && evictOne()) {
            // each round unmaps one segment
        }
        if (resident >= maxResident) {
            overBudgetMaps++;
        }
        // A segment starts without its clock bit: one touch (a scan) leaves it first in line for eviction, a second
        // touch through the fast path gives it the second chance that keeps hot segments resident.
        segment.referenced = false;
        segment.mapping = files.map(segment.path);
        segment.address = BufferUtil.address(segment.mapping);
        resident++;
        maps++;
        maxResidentSeen = Math.max(maxResidentSeen, resident);
    }

    private boolean evictOne() {
        for (int step = 0, limit = 2 * segmentCount; step < limit; step++) {
            final Segment candidate = segments[hand];
            hand = hand + 1 == segmentCount ? 0 : hand + 1;
            if (candidate.address == 0) {
                continue;
            }
            if (candidate.referenced) {
                candidate.referenced = false;
                continue;
            }
            if (candidate.pins.compareAndSet(0, Segment.EVICTING)) {
                unmap(candidate);
                candidate.pins.set(0);
                evictions++;
                return true;
            }
        }
        return false;
    }

    private void unmap(Segment segment) {
        // address is cleared before the pin count leaves EVICTING, so a pinner that wins the next CAS sees 0.
        segment.address = 0;
        IoUtil.unmap(segment.mapping);
        segment.mapping = null;
        resident--;
    }

    /** Unmaps every segment. Called by the owner on close, when no thread holds a pin. */
    synchronized void unmapAll() {
        for (int i = 0; i < segmentCount; i++) {
            if (segments[i].address != 0) {
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

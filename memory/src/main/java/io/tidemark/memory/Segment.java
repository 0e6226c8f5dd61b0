package io.tidemark.memory;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One segment file: its pages' state words and, while resident, its mapping.
 *
 * <p>Residency protocol (see {@link Residency}): {@link #pins} counts the threads' current uses of the mapping and is
 * {@link #EVICTING} while the segment is being unmapped; {@link #address} is 0 while unmapped. Eviction happens only
 * under the residency lock and only after a CAS of {@code pins} from 0 to {@code EVICTING}, so a positive pin count
 * keeps the mapping alive.
 */
final class Segment {
    static final int EVICTING = Integer.MIN_VALUE;

    final int index;
    final Path path;
    final AtomicLongArray states;
    final AtomicInteger pins = new AtomicInteger();

    /** Base address of the mapping, 0 while unmapped. Written under the residency lock. */
    volatile long address;

    /**
     * Clock (second chance) bit: clear when mapped, set by later pins, cleared by the eviction sweep. Written by both
     * threads without synchronization on purpose: a lost update only makes a segment look older or younger.
     */
    boolean referenced;

    /** The mapping, kept reachable so that the GC never unmaps it behind our back. Guarded by the residency lock. */
    MappedByteBuffer mapping;

    Segment(int index, Path path, int pagesPerSegment) {
        this.index = index;
        this.path = path;
        this.states = new AtomicLongArray(pagesPerSegment);
    }
}

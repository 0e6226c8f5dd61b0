package io.tidemark.memory;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One segment file: its pages' state words and, while resident, its mapping.
 *
 * <p>Residency protocol (see {@link Residency}): only the owner thread maps and unmaps. The owner reads
 * {@link #ownerAddress} with a plain load (it is the only writer) and never pins; it keeps a segment mapped across a
 * multi-page operation with {@link #ownerHolds}, a plain counter. The snapshot reader announces a copy from the mapping
 * with {@link #readerPins} and reads {@link #sharedAddress}; the owner unmaps only after a CAS of {@code readerPins}
 * from 0 to {@link #EVICTING}, so a reader copy in progress defers the unmapping (the eviction picks another segment),
 * and a reader that finds the segment unmapped reads the page from the file instead.
 */
final class Segment {
    static final int EVICTING = Integer.MIN_VALUE;

    final int index;
    final Path path;
    /** The pages' state words ({@link PageState}). Written by the owner only; read by the owner and the reader. */
    final AtomicLongArray states;
    /** The pages' lifetime words ({@link PageState#lifetime}). Written by the owner only. */
    final AtomicLongArray lifetimes;

    final AtomicInteger readerPins = new AtomicInteger();

    /** Base address of the mapping for the snapshot reader, 0 while unmapped. Written by the owner only. */
    volatile long sharedAddress;

    /** Base address of the mapping for the owner, 0 while unmapped. Owner thread only: read and written plainly. */
    long ownerAddress;

    /** Cursors of the owner on pages of this segment: eviction skips the segment while positive. Owner thread only. */
    int ownerHolds;

    /**
     * Clock (second chance) bit: clear when mapped, set by later owner accesses, cleared by the eviction sweep. Owner
     * thread only.
     */
    boolean referenced;

    /** The mapping, kept reachable so that the GC never unmaps it behind our back. Owner thread only. */
    MappedByteBuffer mapping;

    Segment(int index, Path path, int pagesPerSegment) {
        this.index = index;
        this.path = path;
        this.states = new AtomicLongArray(pagesPerSegment);
        this.lifetimes = new AtomicLongArray(pagesPerSegment);
    }
}

package io.tidemark.memory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Descriptor of one segment: {@code pagesPerSegment} consecutive page ids, their page words, and for each page the
 * frame that holds it while resident. The segment file ({@link #path}) exists only once a page of the segment has
 * been written back (see {@link SegmentFiles}).
 *
 * <p>The owner's frame word of a page ({@link #frames}) is the frame address with two flags in its low bits (frames
 * are aligned to {@link FrameMemory#ALIGNMENT}):
 *
 * <pre>
 *   63                                                   12 11        2  1  0
 *  +-------------------------------------------------------+-----------+--+--+
 *  |  frame address (aligned to 4096)                      |  0        |D |R |
 *  +-------------------------------------------------------+-----------+--+--+
 *   0 = no frame: the page's content is in the segment file
 *   R = REFERENCED: the clock's second-chance bit, set by owner accesses, cleared by the sweeping hand
 *   D = DIRTY: written since the frame was filled or last written back; eviction writes it back first
 * </pre>
 *
 * <p>Threads: only the owner writes any field. {@link #frames}, {@link #holds} and {@link #slots} are plain and
 * owner-only. The snapshot reader uses {@link #sharedFrames} (volatile) under a pin in {@link #readerPins}; see
 * {@link Residency} for the protocol.
 */
final class Segment {
    /** {@link #readerPins} value while the owner takes the page's frame away. */
    static final int EVICTING = Integer.MIN_VALUE;

    static final long REFERENCED = 1;
    static final long DIRTY = 2;
    /** Both flags: a frame word that a write may use without the slow path. */
    static final long WRITABLE = REFERENCED | DIRTY;

    static final long ADDRESS_MASK = -(long) FrameMemory.ALIGNMENT;

    final int index;
    final Path path;
    /** The pages' state words ({@link PageState}). Written by the owner only; read by the owner and the reader. */
    final AtomicLongArray states;
    /** The pages' lifetime words ({@link PageState#lifetime}). Written by the owner only. */
    final AtomicLongArray lifetimes;
    /** Owner: frame word per page (layout above). Plain loads and stores. */
    final long[] frames;
    /** Reader: frame address per page, 0 without a frame. Volatile stores by the owner, loads by the reader. */
    final AtomicLongArray sharedFrames;
    /** Reader copies in progress per page; {@link #EVICTING} while the owner takes the frame away. */
    final AtomicIntegerArray readerPins;
    /** Owner: cursors holding each page (and the first-write slow path): the clock skips a held page. */
    final int[] holds;
    /** Owner: the clock slot of each page's frame, -1 without a frame. */
    final int[] slots;
    /** Owner: the segment file exists (created at the first write-back of one of its pages). */
    boolean fileCreated;

    Segment(int index, Path path, int pagesPerSegment) {
        this.index = index;
        this.path = path;
        this.states = new AtomicLongArray(pagesPerSegment);
        this.lifetimes = new AtomicLongArray(pagesPerSegment);
        this.frames = new long[pagesPerSegment];
        this.sharedFrames = new AtomicLongArray(pagesPerSegment);
        this.readerPins = new AtomicIntegerArray(pagesPerSegment);
        this.holds = new int[pagesPerSegment];
        this.slots = new int[pagesPerSegment];
        Arrays.fill(slots, -1);
    }
}

package io.tidemark.memory;

import java.util.Arrays;
import org.agrona.UnsafeApi;

/**
 * Off-heap memory for frames: {@code pageSize} bytes each, allocated in chunks of {@link #framesPerChunk()} frames
 * with {@code Unsafe.allocateMemory} (outside the JVM heap and outside {@code MaxDirectMemorySize}) and aligned to
 * {@link #ALIGNMENT} bytes. A frame is named by its slot number; slot {@code s} lives in chunk
 * {@code s / framesPerChunk} for the life of the pool.
 *
 * <pre>
 *  chunk 0 (malloc, aligned up)                      chunk 1
 *  +---------+---------+-----+-----------+           +---------+-----
 *  | slot 0  | slot 1  | ... | slot C-1  |           | slot C  | ...
 *  +---------+---------+-----+-----------+           +---------+-----
 *    pageSize bytes each, C = framesPerChunk
 * </pre>
 *
 * <p>Owner thread only; {@link #grow()} allocates (cold), {@link #address(int)} does not. Memory is not zeroed.
 * {@link #free()} releases everything: no reader may still copy from a frame.
 */
final class FrameMemory {
    /** Alignment of every frame: a cache line at least, a typical OS page here. */
    static final int ALIGNMENT = 4096;

    private static final int MAX_FRAMES_PER_CHUNK = 64;
    private static final int MAX_CHUNK_BYTES = 4 * 1024 * 1024;

    private final int pageShift;
    private final int chunkShift;
    private long[] raw = new long[8];
    private long[] bases = new long[8];
    private int chunks;

    FrameMemory(int pageSize) {
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        final int perChunk = Math.max(1, Math.min(MAX_FRAMES_PER_CHUNK, MAX_CHUNK_BYTES / pageSize));
        this.chunkShift = Integer.numberOfTrailingZeros(perChunk);
    }

    int framesPerChunk() {
        return 1 << chunkShift;
    }

    /** Frames allocated so far: slots {@code [0, capacity())}. */
    int capacity() {
        return chunks << chunkShift;
    }

    /**
     * Allocates one more chunk.
     *
     * @throws OutOfMemoryError if the system has no memory left for it.
     */
    void grow() {
        if (chunks == bases.length) {
            raw = Arrays.copyOf(raw, chunks * 2);
            bases = Arrays.copyOf(bases, chunks * 2);
        }
        final long address = UnsafeApi.allocateMemory(((long) framesPerChunk() << pageShift) + ALIGNMENT);
        raw[chunks] = address;
        bases[chunks] = (address + ALIGNMENT - 1) & -(long) ALIGNMENT;
        chunks++;
    }

    /** The first byte of the frame in {@code slot}. */
    long address(int slot) {
        return bases[slot >>> chunkShift] + ((long) (slot & (framesPerChunk() - 1)) << pageShift);
    }

    /** Bytes allocated for frames. */
    long allocatedBytes() {
        return (long) capacity() << pageShift;
    }

    /** Frees the chunks from {@code keep} on (their frames are unused); slots below {@code keep}'s stay valid. */
    void shrink(int keep) {
        for (int i = keep; i < chunks; i++) {
            UnsafeApi.freeMemory(raw[i]);
        }
        chunks = Math.min(chunks, keep);
    }

    /** Frees every chunk. Idempotent. */
    void free() {
        for (int i = 0; i < chunks; i++) {
            UnsafeApi.freeMemory(raw[i]);
        }
        chunks = 0;
    }
}

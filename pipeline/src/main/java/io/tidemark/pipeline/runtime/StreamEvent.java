package io.tidemark.pipeline.runtime;

/**
 * The pre-allocated, mutable slot of an edge's ring buffer. Written by the single producer between claim and publish,
 * read by the single consumer between its sequence and the cursor; never escapes those windows.
 */
public final class StreamEvent {
    public static final byte RECORD = 0;
    public static final byte WATERMARK = 1;
    public static final byte BARRIER = 2;
    public static final byte END_OF_INPUT = 3;

    byte kind;
    Object record;
    /** The pre-allocated record records are copied into on a stream with record slots, or {@code null}. */
    final Object slot;
    /** Record timestamp, or the watermark, or the checkpoint id. */
    long value;
    /** {@link System#nanoTime()} at the source that produced the data this event derives from. */
    long originNanos;

    StreamEvent(Object slot) {
        this.slot = slot;
    }

    public byte kind() {
        return kind;
    }

    public Object record() {
        return record;
    }

    public long value() {
        return value;
    }
}

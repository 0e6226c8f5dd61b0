package io.tidemark.jmh.pipeline;

/**
 * One record of the counter job: the key and the time it was meant to be emitted. Mutable: each source instance fills
 * one and emits it again and again; the stream copies records into pre-allocated ring slots ({@code
 * DataStream.copyRecords} with {@link #copy}), the keyed function forwards the slot's record to the chained sink.
 */
final class CounterEvent {
    /** The partition key, in [0, keys). */
    long key;

    /**
     * {@link System#nanoTime()} at which the source was due to emit the record (open-loop schedule), or at which it did
     * emit it when unpaced; latency is measured from here, so a late emission counts against the pipeline.
     */
    long intendedNanos;

    CounterEvent() {}

    CounterEvent(long key, long intendedNanos) {
        this.key = key;
        this.intendedNanos = intendedNanos;
    }

    /** The ring's copier: every field. */
    static void copy(CounterEvent from, CounterEvent to) {
        to.key = from.key;
        to.intendedNanos = from.intendedNanos;
    }
}

package io.tidemark.jmh.pipeline;

/**
 * One record of the counter job: the key and the time it was meant to be emitted. Immutable, 32 B with compressed oops
 * (a header and two longs); the source creates one per record (records cross threads by reference and the source has
 * no way to learn when one is no longer read), the keyed function forwards it to the sink as it is.
 */
final class CounterEvent {
    /** The partition key, in [0, keys). */
    final long key;

    /**
     * {@link System#nanoTime()} at which the source was due to emit the record (open-loop schedule), or at which it did
     * emit it when unpaced; latency is measured from here, so a late emission counts against the pipeline.
     */
    final long intendedNanos;

    CounterEvent(long key, long intendedNanos) {
        this.key = key;
        this.intendedNanos = intendedNanos;
    }
}

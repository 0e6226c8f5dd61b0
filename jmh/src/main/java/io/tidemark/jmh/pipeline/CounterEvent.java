package io.tidemark.jmh.pipeline;

/**
 * One record of the counter job: the key, the time it was meant to be emitted, and the count the keyed function
 * stored for the key. Mutable, written by one thread at a time: the source fills {@link #key} and
 * {@link #intendedNanos} before it emits the record and never touches it again (the pipeline passes records by
 * reference, so a source may not reuse a mutable record); the keyed function writes {@link #count} and emits the same
 * object to the sink, which only reads it.
 */
final class CounterEvent {
    /** The partition key, in [0, keys). */
    final long key;

    /**
     * {@link System#nanoTime()} at which the source was due to emit the record (open-loop schedule), or at which it did
     * emit it when unpaced; latency is measured from here, so a late emission counts against the pipeline.
     */
    final long intendedNanos;

    /** The key's count after this record, set by the keyed function. */
    long count;

    CounterEvent(long key, long intendedNanos) {
        this.key = key;
        this.intendedNanos = intendedNanos;
    }
}

package io.tidemark.jmh.pipeline;

/**
 * The time line of one run, shared by its source and sinks: the source starts the clock with its first record, the
 * first {@code warmupNanos} after that are warm-up, the next {@code measureNanos} are measured. A record is measured
 * when its intended emission time falls in the measured part. Thread-safe: the start is written once by the first source
 * instance and read by the others and the sink threads (a volatile); no allocation.
 */
final class MeasuredWindow {
    private final long warmupNanos;
    private final long measureNanos;
    private volatile long startNanos;

    MeasuredWindow(long warmupNanos, long measureNanos) {
        this.warmupNanos = warmupNanos;
        this.measureNanos = measureNanos;
    }

    /**
     * Source threads: starts the clock at {@code nanos} unless another source instance started it already.
     *
     * @return the start every source instance schedules from
     */
    synchronized long startOnce(long nanos) {
        if (startNanos == 0) {
            startNanos = nanos;
        }
        return startNanos;
    }

    boolean started() {
        return startNanos != 0;
    }

    /** The start of the measured part; {@link Long#MAX_VALUE} before the source started. */
    long measureFromNanos() {
        long start = startNanos;
        return start == 0 ? Long.MAX_VALUE : start + warmupNanos;
    }

    /** The end of the input: no record is intended at or after it; {@link Long#MAX_VALUE} before the start. */
    long endNanos() {
        long start = startNanos;
        return start == 0 ? Long.MAX_VALUE : start + warmupNanos + measureNanos;
    }

    long warmupNanos() {
        return warmupNanos;
    }

    long measureNanos() {
        return measureNanos;
    }
}

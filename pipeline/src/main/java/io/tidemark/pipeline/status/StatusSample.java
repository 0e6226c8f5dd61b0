package io.tidemark.pipeline.status;

/**
 * One look at a running job, taken by {@link StatusSampler}. Arrays are indexed by {@code PlanNode.id()}. Immutable
 * once built: the sampler fills the arrays before it publishes the sample and never touches them again.
 *
 * @param timeMillis wall-clock time of the sample
 * @param nanos {@link System#nanoTime()} of the sample, for rates
 * @param restarts restarts of the job so far
 * @param recordsIn records received by each operator's instances in the current attempt (sources: records emitted)
 * @param rateIn records per second since the previous sample; {@code NaN} when unknown (first sample, or an attempt
 *     started in between and the counters began again)
 * @param backlog events waiting in the operator's input rings, summed; -1 when it has none (sources, operators
 *     chained into their input's thread)
 * @param maxRingBacklog the fullest input ring's backlog; -1 when it has none
 * @param latency end-to-end latency percentiles of the records that reached sinks since the previous sample
 * @param inputLatency percentiles of the time from source emission to arrival at each operator fed through rings, since
 *     the previous sample; {@link Latency#NONE} for sources and chained operators
 */
record StatusSample(
        long timeMillis,
        long nanos,
        long restarts,
        long[] recordsIn,
        double[] rateIn,
        long[] backlog,
        long[] maxRingBacklog,
        Latency latency,
        Latency[] inputLatency) {

    /**
     * Percentiles in nanoseconds of the latency samples recorded in one interval (one record in 16 is sampled).
     * {@link #NONE} when no record reached a sink in the interval or the histograms could not be read consistently.
     */
    record Latency(long samples, long p50Nanos, long p99Nanos, long p999Nanos) {
        static final Latency NONE = new Latency(0, -1, -1, -1);
    }
}

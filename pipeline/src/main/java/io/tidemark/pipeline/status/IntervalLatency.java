package io.tidemark.pipeline.status;

import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of the latency recorded during one sampling interval, from a histogram that only grows (counts over every
 * attempt of the job): each call copies it and subtracts the copy of the previous call. Sampler thread only; allocates
 * one histogram per call.
 */
final class IntervalLatency {
    private final Supplier<Histogram> cumulative;
    private Histogram previous;

    IntervalLatency(Supplier<Histogram> cumulative) {
        this.cumulative = cumulative;
    }

    /** The interval since the previous call; {@link StatusSample.Latency#NONE} when nothing was recorded in it. */
    StatusSample.Latency next() {
        Histogram total;
        try {
            total = cumulative.get();
        } catch (RuntimeException e) {
            // read while the instances record into it: try again next interval
            previous = null;
            return StatusSample.Latency.NONE;
        }
        Histogram before = previous;
        previous = total;
        Histogram interval = total.copy();
        if (before != null) {
            try {
                interval.subtract(before);
            } catch (RuntimeException e) {
                // counts went down (an attempt's histograms moved from live to retired in between): no interval
                return StatusSample.Latency.NONE;
            }
        }
        long count = interval.getTotalCount();
        if (count == 0) {
            return StatusSample.Latency.NONE;
        }
        return new StatusSample.Latency(
                count,
                interval.getValueAtPercentile(50),
                interval.getValueAtPercentile(99),
                interval.getValueAtPercentile(99.9));
    }
}

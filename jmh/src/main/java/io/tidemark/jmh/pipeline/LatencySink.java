package io.tidemark.jmh.pipeline;

import io.tidemark.pipeline.function.SinkFunction;
import org.HdrHistogram.Histogram;

/**
 * The counter job's sink: records each measured record's latency (every one when paced, one in 16 unpaced), {@code nanoTime} on arrival minus the record's
 * intended emission time, in a histogram of its own (1 ns to 1 min, 3 significant digits; longer latencies are recorded
 * as 1 min), and hands it to the run's {@link LatencyTally} when it closes. Records intended before the measured part
 * of the window (warm-up) are counted but not recorded. Operator thread only; no allocation per record.
 */
final class LatencySink implements SinkFunction<CounterEvent> {
    static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    private final MeasuredWindow window;
    private final LatencyTally tally;
    private final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    private final AllocationMeter allocation = new AllocationMeter();
    private final long sampleMask;
    private long measureFrom = Long.MAX_VALUE;
    private long received;
    private long measured;
    private long lastArrival;

    /**
     * @param sampleMask latency is recorded for the records whose arrival count has these bits clear: 0 for every
     *     record (paced runs), 15 for one in 16 (unpaced runs, where the clock read would cost throughput)
     */
    LatencySink(MeasuredWindow window, LatencyTally tally, long sampleMask) {
        this.window = window;
        this.tally = tally;
        this.sampleMask = sampleMask;
    }

    @Override
    public void invoke(CounterEvent value, long timestamp) {
        if ((received++ & sampleMask) != 0) {
            if (value.intendedNanos >= measureFrom) {
                measured++;
            }
            return;
        }
        long now = System.nanoTime();
        if (measureFrom == Long.MAX_VALUE) {
            measureFrom = window.measureFromNanos();
        }
        if (value.intendedNanos < measureFrom) {
            return;
        }
        latency.recordValue(Math.min(Math.max(0, now - value.intendedNanos), MAX_LATENCY_NANOS));
        measured++;
        lastArrival = now;
        allocation.record();
    }

    @Override
    public void close() {
        tally.add(latency, received, measured, lastArrival);
        tally.allocation("sink", allocation.bytesPerRecord());
    }
}

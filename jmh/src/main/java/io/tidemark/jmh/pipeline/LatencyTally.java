package io.tidemark.jmh.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the sinks of one run measured, merged as each sink instance closes. Thread-safe (synchronized: once per sink
 * instance, cold path).
 */
final class LatencyTally {
    private final Histogram latency = new Histogram(LatencySink.MAX_LATENCY_NANOS, 3);
    private long received;
    private long measured;
    private long lastArrival = Long.MIN_VALUE;
    private int sinks;
    private long emitted = -1;
    private final Map<String, Double> allocation = new LinkedHashMap<>();

    synchronized void add(Histogram sinkLatency, long sinkReceived, long sinkMeasured, long sinkLastArrival) {
        latency.add(sinkLatency);
        received += sinkReceived;
        measured += sinkMeasured;
        if (sinkMeasured > 0) {
            lastArrival = Math.max(lastArrival, sinkLastArrival);
        }
        sinks++;
    }

    /** Source thread, when it closes: the records it emitted. */
    synchronized void sourceClosed(long records) {
        emitted = Math.max(0, emitted) + records;
    }

    /** Records the source emitted, or -1 before it closed. */
    synchronized long emitted() {
        return emitted;
    }

    /**
     * An operator instance's bytes allocated per measured record on its thread ({@link AllocationMeter}); the
     * highest of a role's instances is kept. Negative values (not measured) are ignored.
     */
    synchronized void allocation(String role, double bytesPerRecord) {
        if (bytesPerRecord >= 0) {
            allocation.merge(role, bytesPerRecord, Math::max);
        }
    }

    /** Bytes per measured record by role ({@code source}, {@code keyed}, {@code sink}), a copy. */
    synchronized Map<String, Double> allocation() {
        return new LinkedHashMap<>(allocation);
    }

    /** A copy of the merged histogram (ns). */
    synchronized Histogram latency() {
        return latency.copy();
    }

    /** Records that reached a sink, warm-up included. */
    synchronized long received() {
        return received;
    }

    /** Records recorded in the histogram. */
    synchronized long measured() {
        return measured;
    }

    /** {@code nanoTime} at which the last measured record reached its sink; {@link Long#MIN_VALUE} if none did. */
    synchronized long lastArrival() {
        return lastArrival;
    }

    /** Sink instances that reported. */
    synchronized int sinks() {
        return sinks;
    }
}

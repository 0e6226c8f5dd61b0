package io.tidemark.pipeline.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Counts of point queries by status and their latency (handler entry to answer written). Any thread. */
final class QueryStats {
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final ConcurrentHistogram latency = new ConcurrentHistogram(60_000_000_000L, 3);

    void record(int status, long nanos) {
        byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        latency.recordValue(Math.min(nanos, 60_000_000_000L));
    }

    Map<Integer, Long> counts() {
        Map<Integer, Long> copy = new java.util.TreeMap<>();
        byStatus.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    Histogram latency() {
        return latency.copy();
    }
}

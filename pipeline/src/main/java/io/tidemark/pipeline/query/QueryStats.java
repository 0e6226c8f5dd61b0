package io.tidemark.pipeline.query;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tidemark.pipeline.metrics.LatencySummary;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Counts of point queries by status and their latency (handler entry to answer written), and their metric families
 * ({@code tidemark_query_requests_total}, {@code tidemark_query_latency_seconds}). Any thread.
 */
final class QueryStats {
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final ConcurrentHistogram latency = new ConcurrentHistogram(60_000_000_000L, 3);

    void record(int status, long nanos) {
        byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        latency.recordValue(Math.min(nanos, 60_000_000_000L));
    }

    Map<Integer, Long> counts() {
        Map<Integer, Long> copy = new TreeMap<>();
        byStatus.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    Histogram latency() {
        return latency.copy();
    }

    /**
     * Adds the query families to {@code registry}, read at scrape time.
     *
     * @throws IllegalArgumentException if the registry has them already (endpoints registered twice for one job)
     */
    void register(PrometheusRegistry registry) {
        CounterWithCallback.builder()
                .name("tidemark_query_requests")
                .help("Point queries answered, by HTTP status")
                .labelNames("status")
                .callback(c -> counts().forEach((status, count) -> c.call(count, Integer.toString(status))))
                .register(registry);
        SummaryWithCallback.builder()
                .name("tidemark_query_latency_seconds")
                .unit(Unit.SECONDS)
                .help("Point query latency inside the server, handler entry to answer written")
                .callback(s -> LatencySummary.report(s, latency()))
                .register(registry);
    }
}

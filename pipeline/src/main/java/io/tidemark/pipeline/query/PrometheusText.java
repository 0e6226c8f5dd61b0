package io.tidemark.pipeline.query;

import io.tidemark.pipeline.metrics.JobMetrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code GET /metrics}: the job's own Prometheus text (records, restarts, checkpoints, per-task counters) followed by
 * throughput, latency percentiles, checkpoint pause figures and the query endpoint's own figures. Latency histograms
 * are read while the tasks record into them, so percentiles of a running job are approximate.
 */
final class PrometheusText {
    private static final double[] QUANTILES = {0.5, 0.99, 0.999};

    private PrometheusText() {}

    static String render(JobMetrics metrics, QueryStats queries) {
        StringBuilder out = new StringBuilder(metrics.getPrometheusText());
        double seconds = Math.max(1e-9, metrics.elapsedSeconds());
        header(
                out,
                "tidemark_throughput_records_per_second",
                "Source records per second since the job started",
                "gauge");
        out.append(String.format(
                Locale.ROOT,
                "tidemark_throughput_records_per_second %.1f%n",
                metrics.sourceRecordsAllAttempts() / seconds));
        header(out, "tidemark_record_latency_seconds", "Source emission to arrival at an operator", "summary");
        for (String operator : metrics.receivingOperators()) {
            quantiles(
                    out,
                    "tidemark_record_latency_seconds",
                    "operator=\"" + operator + "\",",
                    metrics.inputLatency(operator));
        }
        List<JobMetrics.CheckpointStat> checkpoints = metrics.checkpoints();
        long maxPause = 0;
        long lastPause = 0;
        for (JobMetrics.CheckpointStat c : checkpoints) {
            maxPause = Math.max(maxPause, c.syncPauseMicrosMax());
            lastPause = c.syncPauseMicrosMax();
        }
        header(
                out,
                "tidemark_checkpoint_last_sync_pause_us",
                "Longest synchronous pause of the last checkpoint",
                "gauge");
        out.append("tidemark_checkpoint_last_sync_pause_us ").append(lastPause).append('\n');
        header(out, "tidemark_checkpoint_max_sync_pause_us", "Longest synchronous pause of any checkpoint", "gauge");
        out.append("tidemark_checkpoint_max_sync_pause_us ").append(maxPause).append('\n');
        header(out, "tidemark_state_checkpoint_bytes", "State size: bytes of the last completed checkpoint", "gauge");
        out.append("tidemark_state_checkpoint_bytes ")
                .append(metrics.getLastCheckpointBytes())
                .append('\n');
        header(out, "tidemark_query_requests_total", "Point queries answered, by HTTP status", "counter");
        for (Map.Entry<Integer, Long> e : queries.counts().entrySet()) {
            out.append("tidemark_query_requests_total{status=\"")
                    .append(e.getKey())
                    .append("\"} ")
                    .append(e.getValue())
                    .append('\n');
        }
        header(out, "tidemark_query_latency_seconds", "Point query latency inside the server", "summary");
        quantiles(out, "tidemark_query_latency_seconds", "", queries.latency());
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void quantiles(StringBuilder out, String name, String labels, Histogram h) {
        for (double q : QUANTILES) {
            out.append(String.format(
                    Locale.ROOT,
                    "%s{%squantile=\"%s\"} %.9f%n",
                    name,
                    labels,
                    q,
                    h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(q * 100) / 1e9));
        }
        out.append(name).append("_count");
        if (!labels.isEmpty()) {
            out.append('{').append(labels, 0, labels.length() - 1).append('}');
        }
        out.append(' ').append(h.getTotalCount()).append('\n');
    }
}

package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.pipeline.query.PrometheusTextParser.Family;
import io.tidemark.pipeline.query.PrometheusTextParser.Sample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a running job on the {@code offheap} backend, parsed strictly: counters typed as counters
 * with {@code _total} (in the Prometheus text format a counter family is declared by its sample name), durations in
 * seconds, sizes in bytes, the JVM's metrics, per-instance state sizes.
 */
class MetricsEndpointTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void scrapeOfARunningJobHasTypedFamiliesInBaseUnits() throws Exception {
        try (RunningJob job = RunningJob.start(
                QueryEndpointsTest.ledger(QueryEndpointsTest.config(dir, "offheap"), 400_000, 100_000))) {
            assertThat(job.ready.await(60, TimeUnit.SECONDS)).isTrue();
            QueryEndpointsTest.awaitValue(job, "/state/sums/3"); // one query answered: the query families have data
            while (job.checkpoints.get() < 2) {
                Thread.onSpinWait();
            }
            RunningJob.Text scrape = job.text("/metrics", null);
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.contentType()).startsWith("text/plain; version=0.0.4");
            Map<String, Family> families = PrometheusTextParser.parse(scrape.body());

            for (String counter : List.of(
                    "tidemark_source_records_total",
                    "tidemark_restarts_total",
                    "tidemark_checkpoints_completed_total",
                    "tidemark_task_records_in_total",
                    "tidemark_task_alignment_seconds_total",
                    "tidemark_query_requests_total",
                    "process_cpu_seconds_total")) {
                assertThat(type(families, counter)).as(counter).isEqualTo("counter");
            }
            assertThat(value(families, "tidemark_source_records_total", Map.of()))
                    .isPositive();
            assertThat(value(families, "tidemark_checkpoints_completed_total", Map.of()))
                    .isGreaterThanOrEqualTo(2);
            assertThat(value(families, "tidemark_task_records_in_total", Map.of("task", "ledger#1")))
                    .isPositive();
            assertThat(value(families, "tidemark_query_requests_total", Map.of("status", "200")))
                    .isGreaterThanOrEqualTo(1);

            for (String gauge : List.of(
                    "tidemark_checkpoint_last_id",
                    "tidemark_checkpoint_last_bytes",
                    "tidemark_state_checkpoint_bytes",
                    "tidemark_checkpoint_last_duration_seconds",
                    "tidemark_checkpoint_last_sync_pause_seconds",
                    "tidemark_checkpoint_max_sync_pause_seconds",
                    "tidemark_throughput_records_per_second",
                    "tidemark_state_resident_bytes",
                    "tidemark_state_spilled_bytes",
                    "jvm_memory_used_bytes",
                    "jvm_threads_current")) {
                assertThat(type(families, gauge)).as(gauge).isEqualTo("gauge");
            }
            assertThat(value(families, "tidemark_checkpoint_last_bytes", Map.of()))
                    .isPositive();
            assertThat(value(families, "tidemark_checkpoint_last_duration_seconds", Map.of()))
                    .as("seconds, not milliseconds: a checkpoint of this job takes well under a minute")
                    .isPositive()
                    .isLessThan(60);

            for (String summary : List.of(
                    "tidemark_record_latency_seconds", "tidemark_query_latency_seconds", "jvm_gc_collection_seconds")) {
                assertThat(type(families, summary)).as(summary).isEqualTo("summary");
            }
            assertThat(families.get("tidemark_record_latency_seconds").samples())
                    .anySatisfy(s -> assertThat(s.labels())
                            .containsEntry("operator", "ledger")
                            .containsEntry("quantile", "0.99"));

            for (String task : List.of("ledger#0", "ledger#1")) {
                assertThat(value(families, "tidemark_state_resident_bytes", Map.of("task", task)))
                        .as("frames and log index of %s", task)
                        .isPositive();
                assertThat(value(families, "tidemark_state_spilled_bytes", Map.of("task", task)))
                        .as("20 accounts fit the budget: nothing spilled in %s", task)
                        .isZero();
            }
            assertThat(families.get("tidemark_state_resident_bytes").samples())
                    .as("only keyed instances have state sizes")
                    .noneMatch(s -> s.labels().get("task").startsWith("entries#"));

            assertThat(families.keySet())
                    .as("base units only")
                    .noneMatch(name -> name.endsWith("_ms") || name.endsWith("_us") || name.endsWith("_ns"));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void openMetricsOnRequestAndTheSameFamiliesOverJmx() throws Exception {
        try (RunningJob job =
                RunningJob.start(QueryEndpointsTest.ledger(QueryEndpointsTest.config(dir, "heap"), 400_000, 100_000))) {
            assertThat(job.ready.await(60, TimeUnit.SECONDS)).isTrue();
            RunningJob.Text open = job.text("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(open.status()).isEqualTo(200);
            assertThat(open.contentType()).startsWith("application/openmetrics-text");
            assertThat(open.body())
                    .contains("# TYPE tidemark_source_records counter")
                    .endsWith("# EOF\n");

            Map<String, Family> jmx =
                    PrometheusTextParser.parse(job.runner.metrics().getPrometheusText());
            assertThat(type(jmx, "tidemark_source_records_total")).isEqualTo("counter");
            assertThat(type(jmx, "tidemark_query_latency_seconds")).isEqualTo("summary");
            assertThat(jmx.get("tidemark_state_resident_bytes").samples())
                    .as("the heap backend does not measure itself: zeros")
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.value()).isZero());
        }
    }

    private static String type(Map<String, Family> families, String name) {
        assertThat(families).as("families").containsKey(name);
        return families.get(name).type();
    }

    /** The value of the family's one sample with exactly {@code labels} (for a counter: its {@code _total}). */
    private static double value(Map<String, Family> families, String name, Map<String, String> labels) {
        Family family = families.get(name);
        assertThat(family).as(name).isNotNull();
        List<Sample> matching = family.samples().stream()
                .filter(s -> !s.name().endsWith("_created") && s.labels().equals(labels))
                .toList();
        assertThat(matching).as(name + labels).hasSize(1);
        return matching.get(0).value();
    }
}

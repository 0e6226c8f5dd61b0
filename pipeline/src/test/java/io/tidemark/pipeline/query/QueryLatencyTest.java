package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loopback point-query latency while the job processes records (one client thread, sequential requests). Prints
 * p50/p99/max; asserts no timing (figures are measurements to read, not pass/fail criteria).
 */
class QueryLatencyTest {
    /** {@code /state/nope/} is answered on the HTTP thread (404): the HTTP cost without the operator hand-off. */
    private static final String PATH = System.getProperty("tidemark.query.latency.path", "/state/sums/");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void pointQueryLatencyOnLoopback() throws Exception {
        int warmup = 500;
        int measured = Integer.getInteger("tidemark.query.latency.queries", 2_000);
        try (RunningJob job = RunningJob.start(
                QueryEndpointsTest.ledger(QueryEndpointsTest.config(dir, "offheap"), 50_000_000, 100_000))) {
            assertThat(job.ready.await(60, TimeUnit.SECONDS)).isTrue();
            QueryEndpointsTest.awaitValue(job, "/state/sums/1");
            Histogram latency = new Histogram(3);
            for (int i = 0; i < warmup + measured; i++) {
                long start = System.nanoTime();
                RunningJob.Answer a = job.get(PATH + (i % 20));
                long took = System.nanoTime() - start;
                assertThat(a.status()).isIn(200, 404);
                if (i >= warmup) {
                    latency.recordValue(took);
                }
            }
            System.out.printf(
                    "QUERY_LATENCY queries=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f records=%d%n",
                    latency.getTotalCount(),
                    latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3,
                    latency.getValueAtPercentile(99.9) / 1e3,
                    latency.getMaxValue() / 1e3,
                    job.runner.metrics().sourceRecords());
            assertThat(latency.getTotalCount()).as("answered queries").isPositive();
        }
    }
}

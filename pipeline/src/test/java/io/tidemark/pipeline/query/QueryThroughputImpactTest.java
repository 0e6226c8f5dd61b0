package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of an unpaced job with and without 1,000 point queries per second (the issue's ≤ 5% drop target).
 * A measurement, not a gate: run with {@code -Dtidemark.query.impact=true}; it prints {@code QUERY_IMPACT}.
 */
@EnabledIfSystemProperty(named = "tidemark.query.impact", matches = "true")
class QueryThroughputImpactTest {
    private static final long COUNT = Long.getLong("tidemark.query.impact.records", 3_000_000);
    /** {@code /state/nope/} answers 404 on the HTTP thread: isolates the HTTP cost from the operator's. */
    private static final String PATH = System.getProperty("tidemark.query.impact.path", "/state/sums/");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void throughputWithAndWithoutQueries() throws Exception {
        double[] without = new double[2];
        double[] with = new double[2];
        for (int round = 0; round < 2; round++) {
            without[round] = run(round * 2, 0);
            with[round] = run(round * 2 + 1, 1_000);
        }
        double base = Math.max(without[0], without[1]);
        double loaded = Math.max(with[0], with[1]);
        System.out.printf(
                "QUERY_IMPACT records=%d without=%.0f,%.0f/s with_1000qps=%.0f,%.0f/s drop_best=%.1f%%%n",
                COUNT, without[0], without[1], with[0], with[1], 100 * (1 - loaded / base));
        assertThat(loaded).isPositive();
    }

    private double run(int index, int queriesPerSecond) throws Exception {
        Path runDir = dir.resolve("run-" + index);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong answered = new AtomicLong();
        try (RunningJob job =
                RunningJob.start(QueryEndpointsTest.ledger(QueryEndpointsTest.config(runDir, "offheap"), COUNT, 0))) {
            assertThat(job.ready.await(60, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            Thread client = new Thread(() -> {
                long period = queriesPerSecond == 0 ? 0 : 1_000_000_000L / queriesPerSecond;
                long next = System.nanoTime();
                long i = 0;
                while (period > 0 && !stop.get()) {
                    try {
                        job.get(PATH + (i++ % 20));
                        answered.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                    next += period;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            });
            client.setDaemon(true);
            client.start();
            job.result.get(300, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            client.join(10_000);
            System.out.printf(
                    "QUERY_IMPACT_RUN qps=%d seconds=%.2f answered=%d%n", queriesPerSecond, seconds, answered.get());
            return COUNT / seconds;
        }
    }
}

package io.tidemark.jmh.pipeline;

import io.tidemark.TidemarkException;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsJob;
import io.tidemark.pipeline.runtime.JobRunner;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One throughput run of the built-in market-stats job on its generated input ({@code gen:} trades, unbounded for the
 * purpose, paced when {@code rate} > 0), in a fresh state and output directory: after the warm-up, the trades its
 * source read over {@code seconds} give the achieved rate; then the job is stopped. Latency is not measured (the
 * job's records carry no intended time; its sink writes window results, not trades). Cold path; the job runs on a
 * thread of its own while this one samples.
 */
final class MarketStatsRun {
    /** More trades than any run reads: the run ends by time. */
    private static final long UNBOUNDED = 1L << 50;

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private MarketStatsRun() {}

    static RunResult run(LatencyOptions options, long rate, Duration checkpointInterval, String load1Start)
            throws Exception {
        CheckpointLog checkpoints = new CheckpointLog();
        GcTotals gcBefore = GcTotals.now();
        long from;
        long to;
        long read;
        long total;
        GcTotals gc;
        try (RunDirectory directory = new RunDirectory()) {
            MarketStatsInput input = new MarketStatsInput(null, UNBOUNDED, options.symbols(), options.seed(), rate);
            Pipeline pipeline = MarketStatsJob.build(
                    options.context(directory.path().resolve("state"), checkpointInterval),
                    new MarketStatsJob.Options(
                            input,
                            directory.path().resolve("output"),
                            options.parallelism(),
                            0,
                            ErrorPolicy.DEAD_LETTER,
                            null));
            JobRunner runner = new JobRunner(pipeline, checkpoints);
            CompletableFuture<JobRunner.Result> result = new CompletableFuture<>();
            Thread job = new Thread(() -> runJob(runner, result), "market-stats-run");
            job.setDaemon(true);
            job.start();
            try {
                awaitFirstTrade(runner, result);
                TimeUnit.SECONDS.sleep(options.warmupSeconds());
                from = System.nanoTime();
                long before = runner.metrics().sourceRecords();
                TimeUnit.SECONDS.sleep(options.seconds());
                to = System.nanoTime();
                read = runner.metrics().sourceRecords() - before;
            } finally {
                runner.stop();
            }
            JobRunner.Result finished = result.get(60, TimeUnit.SECONDS);
            gc = GcTotals.now().since(gcBefore);
            total = finished.metrics().sourceRecords();
            if (finished.restarts() > 0) {
                throw new IllegalStateException("market-stats restarted: restarts=" + finished.restarts());
            }
        }
        return new RunResult(
                LatencyOptions.MARKET_STATS,
                rate,
                checkpointInterval,
                read / ((to - from) / 1e9),
                0,
                -1,
                -1,
                -1,
                -1,
                checkpoints.completedBetween(from, to),
                checkpoints.completed(),
                checkpoints.aborted(),
                checkpoints.maxSyncPauseBetween(from, to),
                total,
                new double[] {-1, -1, -1},
                gc,
                load1Start,
                PipelineLatency.load1());
    }

    private static void runJob(JobRunner runner, CompletableFuture<JobRunner.Result> result) {
        try {
            result.complete(runner.run(new JobRunner.RestoreMode.None()));
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
    }

    private static void awaitFirstTrade(JobRunner runner, CompletableFuture<JobRunner.Result> result) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (runner.metrics().sourceRecords() == 0) {
            if (result.isDone()) {
                result.get();
                throw new TidemarkException("market-stats ended before its first trade");
            }
            if (System.nanoTime() > deadline) {
                throw new TidemarkException("market-stats read no trade within 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }
}

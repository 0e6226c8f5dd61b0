package io.tidemark.jmh.pipeline;

import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.runtime.JobRunner;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One run of the keyed counter job: {@code keys} source ({@code sources} instances, {@link CounterSource}, records
 * copied into ring slots) → {@code keyBy(key)} →
 * {@code count} ({@link CountingFunction}, {@code parallelism} instances) → {@code latency} ({@link LatencySink}, as
 * many), in a fresh state directory, to the end of its bounded input. Achieved rate: the measured records over the time
 * from the start of the measured window to the arrival of the last of them at a sink, so a pipeline that falls behind
 * the offered rate shows a lower rate (and the latency of its queue). Cold path, one thread.
 */
final class CounterRun {
    private CounterRun() {}

    static RunResult run(LatencyOptions options, long rate, Duration checkpointInterval, String load1Start)
            throws Exception {
        MeasuredWindow window = new MeasuredWindow(options.warmupNanos(), options.measureNanos());
        LatencyTally tally = new LatencyTally();
        CheckpointLog checkpoints = new CheckpointLog();
        GcTotals gcBefore = GcTotals.now();
        try (RunDirectory directory = new RunDirectory()) {
            Pipeline pipeline = new Pipeline(options.context(directory.path(), checkpointInterval));
            pipeline.source(
                            "keys",
                            () -> new CounterSource(rate, options.keys(), options.seed(), window, tally),
                            options.sources())
                    .copyRecords(CounterEvent::new, CounterEvent::copy)
                    .keyBy(event -> event.key)
                    .process("count", () -> new CountingFunction(window, tally), options.parallelism())
                    .sink(
                            "latency",
                            () -> new LatencySink(window, tally, rate == 0 ? CounterSource.UNPACED_CLOCK_MASK : 0),
                            options.parallelism());
            new JobRunner(pipeline, checkpoints).run(new JobRunner.RestoreMode.None());
        }
        GcTotals gc = GcTotals.now().since(gcBefore);
        if (tally.received() != tally.emitted()) {
            throw new IllegalStateException("records lost or duplicated between source and sinks: emitted="
                    + tally.emitted() + ", received=" + tally.received());
        }
        long from = window.measureFromNanos();
        long to = Math.max(window.endNanos(), tally.lastArrival());
        double seconds = (tally.lastArrival() - from) / 1e9;
        Histogram latency = tally.latency();
        long[] percentiles = RunResult.percentiles(latency);
        return new RunResult(
                LatencyOptions.COUNTER,
                rate,
                checkpointInterval,
                tally.measured() == 0 ? 0 : tally.measured() / seconds,
                latency.getTotalCount(),
                percentiles[0],
                percentiles[1],
                percentiles[2],
                percentiles[3],
                checkpoints.completedBetween(from, to),
                checkpoints.completed(),
                checkpoints.aborted(),
                checkpoints.maxSyncPauseBetween(from, to),
                tally.emitted(),
                allocated(tally),
                gc,
                load1Start,
                PipelineLatency.load1());
    }

    private static double[] allocated(LatencyTally tally) {
        Map<String, Double> byRole = tally.allocation();
        return new double[] {
            byRole.getOrDefault("source", -1.0), byRole.getOrDefault("keyed", -1.0), byRole.getOrDefault("sink", -1.0)
        };
    }
}

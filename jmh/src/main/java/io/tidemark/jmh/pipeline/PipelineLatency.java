package io.tidemark.jmh.pipeline;

import io.tidemark.jmh.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pipeline latency and throughput at a fixed offered load (issue 13), a main class in {@code benchmarks.jar}: start it
 * with the jar's JVM flags ({@code io/tidemark/jmh/jvm.flags}); options in {@link LatencyOptions}; see
 * {@code docs/benchmarks.md}, "Issue 13 — pipeline latency: how it is measured".
 *
 * <p>For every offered rate and every checkpoint interval asked for, one run in a fresh state directory, deleted
 * afterwards:
 *
 * <ul>
 *   <li>{@code job=counter} ({@link CounterRun}): generated {@code long} keys → {@code keyBy} →
 *       {@code LongValueState.add(1)} → a sink recording latency. The source offers the rate open-loop and stamps
 *       each record with its intended emission time; the sinks record {@code nanoTime} on arrival minus that time for
 *       every record after the warm-up (coordinated omission corrected: a late emission counts as latency). Reports
 *       achieved rate, p50/p99/p99.9/max and the sample count. Rate {@code sustained} searches the highest rate
 *       sustained ({@link SustainedRateSearch}).
 *   <li>{@code job=market-stats} ({@link MarketStatsRun}): the built-in job on generated trades; reports the achieved
 *       rate (source trades per second over the measured seconds).
 * </ul>
 *
 * <p>Each run prints a {@code PIPELINE-LATENCY} line and appends a tab-separated line to {@code out}. When both a
 * checkpointed and an unchecked ({@code none}) unpaced run exist, the command ends with their throughput ratio: the
 * cost of checkpointing.
 */
public final class PipelineLatency {
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private final LatencyOptions options;
    private final List<RunResult> results = new ArrayList<>();
    private final List<String> found = new ArrayList<>();

    private PipelineLatency(LatencyOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        LatencyOptions options = LatencyOptions.parse(args);
        System.out.println("PIPELINE-LATENCY options: " + options.commandLine());
        new PipelineLatency(options).runAll();
    }

    private void runAll() throws Exception {
        for (long rate : options.rates()) {
            for (Duration interval : options.checkpoints()) {
                if (rate == LatencyOptions.SUSTAINED) {
                    searchSustained(interval);
                } else {
                    run(rate, interval);
                }
            }
        }
        for (String line : found) {
            System.out.println("PIPELINE-LATENCY " + line);
        }
        printCheckpointCost();
    }

    private void searchSustained(Duration interval) throws Exception {
        RunResult unpaced = null;
        for (RunResult r : results) {
            if (r.offered() == LatencyOptions.MAX && r.checkpointInterval().equals(interval)) {
                unpaced = r;
            }
        }
        if (unpaced == null) {
            unpaced = run(LatencyOptions.MAX, interval);
        }
        RunResult sustained = SustainedRateSearch.search(unpaced, this::run);
        found.add(
                sustained == null
                        ? "no sustained rate found in " + SustainedRateSearch.MAX_TRIES + " tries below "
                                + String.format(Locale.ROOT, "%.0f/s unpaced", unpaced.achieved())
                        : SustainedRateSearch.describe(sustained) + ": " + sustained.summary());
    }

    private RunResult run(long rate, Duration interval) throws Exception {
        String load1 = load1();
        RunResult result = options.job().equals(LatencyOptions.COUNTER)
                ? CounterRun.run(options, rate, interval, load1)
                : MarketStatsRun.run(options, rate, interval, load1);
        System.out.println("PIPELINE-LATENCY " + result.summary());
        CommandLine.appendResult(options.out(), RunResult.HEADER, result.line(options));
        results.add(result);
        return result;
    }

    /** For each unpaced run with checkpoints and one without: 1 - achieved with / achieved without. */
    private void printCheckpointCost() {
        for (RunResult with : results) {
            for (RunResult without : results) {
                if (with.offered() == LatencyOptions.MAX
                        && without.offered() == LatencyOptions.MAX
                        && with.checkpointed()
                        && !without.checkpointed()) {
                    System.out.printf(
                            Locale.ROOT,
                            "PIPELINE-LATENCY %s unpaced: checkpoint cost (every %d ms) %.1f%% of throughput"
                                    + " (%.0f/s with, %.0f/s without)%n",
                            with.job(),
                            with.checkpointInterval().toMillis(),
                            100 * (1 - with.achieved() / without.achieved()),
                            with.achieved(),
                            without.achieved());
                }
            }
        }
    }

    /** The 1-minute load average, {@code n/a} where {@code /proc/loadavg} does not exist. */
    static String load1() throws IOException {
        return Files.exists(LOADAVG) ? Files.readString(LOADAVG).split(" ")[0] : "n/a";
    }
}

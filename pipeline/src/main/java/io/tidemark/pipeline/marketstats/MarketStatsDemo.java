package io.tidemark.pipeline.marketstats;

import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.cli.JobConsole;
import io.tidemark.pipeline.cli.Launcher;
import io.tidemark.pipeline.cli.LauncherCommand;
import io.tidemark.pipeline.cli.RunOptions;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.runtime.JobRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark demo}: market-stats on generated trades, checkpoints every second, one injected failure in the
 * middle with automatic restore, then a verification of the committed output against an independent oracle. The
 * example contributes it to the launcher as a {@link LauncherCommand}.
 */
@Command(name = "demo", description = "Runs market-stats on generated data with an injected failure and verifies it.")
public final class MarketStatsDemo implements LauncherCommand {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--records", description = "Generated trades (default: ${DEFAULT-VALUE}).")
    long records = 8_000_000;

    @Option(names = "--symbols", description = "Distinct symbols, Zipf-distributed (default: ${DEFAULT-VALUE}).")
    int symbols = 1000;

    @Option(names = "--seed", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--dir", description = "Working directory of the demo; emptied first (default: ./tidemark-demo).")
    Path dir = Path.of("tidemark-demo");

    @Option(names = "--no-failure", description = "Do not inject the failure.")
    boolean noFailure;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws Exception {
        options.defaultStateDir(dir.resolve("state"));
        deleteRecursively(dir);
        Path output = dir.resolve("output");
        MarketStatsInput input = new MarketStatsInput(null, records, symbols, seed);
        PipelineContext config = options.config(spec);
        System.out.println("demo: market-stats on " + input + ", parallelism " + config.defaultParallelism()
                + ", backend " + config.backend() + ", checkpoints every "
                + config.checkpointing().coordinator().interval().toMillis()
                + " ms" + (noFailure ? "" : ", failure injected after " + records / 2 + " window updates")
                + ", output " + output);
        AtomicLong failure = noFailure ? null : new AtomicLong(Math.max(1, records / 2));
        Pipeline pipeline = MarketStatsJob.build(
                config,
                new MarketStatsJob.Options(
                        input, output, config.defaultParallelism(), 0, ErrorPolicy.DEAD_LETTER, failure));
        JobConsole console = new JobConsole(System.out, System.err);
        JobRunner runner = new JobRunner(pipeline, console);
        console.start(runner.metrics());
        JobRunner.Result result;
        try {
            result = runner.run(new JobRunner.RestoreMode.None());
        } finally {
            console.stop();
        }
        console.summary(result);
        long oracleStart = System.nanoTime();
        MarketStatsOracle.Expected expected = MarketStatsOracle.compute(input, 0);
        List<String> actual = MarketStatsOracle.committedLines(output);
        long lateLines = Files.exists(output.resolve("late.csv"))
                ? Files.readAllLines(output.resolve("late.csv")).size()
                : 0;
        boolean ok = actual.equals(expected.lines()) && lateLines == expected.late() && noHiddenFiles(output);
        System.out.printf(
                "VERIFICATION %s: %d committed window rows (expected %d), %d late records (expected %d), restarts %d,"
                        + " oracle took %.1f s%n",
                ok ? "PASSED" : "FAILED",
                actual.size(),
                expected.lines().size(),
                lateLines,
                expected.late(),
                result.restarts(),
                (System.nanoTime() - oracleStart) / 1e9);
        if (!ok) {
            System.err.println(
                    "tidemark: demo verification failed: committed output differs from the oracle: dir=" + output);
            return Launcher.EXIT_FAILURE;
        }
        return Launcher.EXIT_OK;
    }

    private static boolean noHiddenFiles(Path output) throws IOException {
        try (var files = Files.list(output)) {
            return files.noneMatch(p -> p.getFileName().toString().startsWith("."));
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                Files.delete(p);
            }
        }
    }
}

package io.tidemark.pipeline.marketstats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.runtime.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarketStatsEndToEndTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", 7);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void committedOutputEqualsTheOracle() throws Exception {
        System.out.println("seed=" + SEED);
        MarketStatsInput input = new MarketStatsInput(null, 200_000, 50, SEED);
        Path output = dir.resolve("out");
        JobRunner.Result result =
                MarketStatsHarness.run(MarketStatsHarness.config(dir, 2), input, output, ErrorPolicy.DEAD_LETTER, null);

        MarketStatsOracle.Expected expected = MarketStatsOracle.compute(input, 0);
        assertThat(result.restarts()).isZero();
        assertThat(expected.lines()).isNotEmpty();
        assertThat(MarketStatsOracle.committedLines(output)).isEqualTo(expected.lines());
        assertThat(Files.readAllLines(output.resolve("late.csv"))).hasSize((int) expected.late());
        assertThat(expected.late()).isPositive();
        try (var files = Files.list(output)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void exactlyOnceAcrossAnInjectedFailure() throws Exception {
        System.out.println("seed=" + SEED);
        MarketStatsInput input = new MarketStatsInput(null, 200_000, 50, SEED);
        Path failed = dir.resolve("failed");
        JobRunner.Result result = MarketStatsHarness.run(
                MarketStatsHarness.config(dir.resolve("a"), 2),
                input,
                failed,
                ErrorPolicy.DEAD_LETTER,
                new AtomicLong(120_000));
        Path clean = dir.resolve("clean");
        MarketStatsHarness.run(
                MarketStatsHarness.config(dir.resolve("b"), 2), input, clean, ErrorPolicy.DEAD_LETTER, null);

        assertThat(result.restarts()).isEqualTo(1);
        List<String> afterFailure = MarketStatsOracle.committedLines(failed);
        assertThat(afterFailure).isEqualTo(MarketStatsOracle.committedLines(clean));
        assertThat(afterFailure).doesNotHaveDuplicates();
        assertThat(Files.readAllLines(failed.resolve("late.csv")))
                .isEqualTo(Files.readAllLines(clean.resolve("late.csv")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"offheap", "chronicle"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void exactlyOnceAcrossAFailureOnFileBackedBackends(String backend) throws Exception {
        MarketStatsInput input = new MarketStatsInput(null, 60_000, 30, SEED);
        Path output = dir.resolve(backend);
        JobRunner.Result result = MarketStatsHarness.run(
                MarketStatsHarness.config(dir.resolve(backend + "-state"), 2).backend(backend),
                input,
                output,
                ErrorPolicy.DEAD_LETTER,
                new AtomicLong(40_000));
        assertThat(result.restarts()).isEqualTo(1);
        assertThat(MarketStatsOracle.committedLines(output))
                .isEqualTo(MarketStatsOracle.compute(input, 0).lines());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void failedRunAtParallelism3ContinuesAtParallelism1And4() throws Exception {
        MarketStatsInput input = new MarketStatsInput(null, 150_000, 40, SEED);
        Path output = dir.resolve("out");
        for (int[] step : new int[][] {{3, 40_000}, {1, 40_000}, {4, 0}}) {
            PipelineContext config = MarketStatsHarness.config(dir, step[0]).restartStrategy(RestartStrategy.none());
            JobRunner runner = new JobRunner(
                    MarketStatsJob.build(
                            config,
                            new MarketStatsJob.Options(
                                    input,
                                    output,
                                    step[0],
                                    0,
                                    ErrorPolicy.DEAD_LETTER,
                                    step[1] > 0 ? new AtomicLong(step[1]) : null)),
                    new JobRunner.Events() {
                        @Override
                        public void completed(long id, String location, long bytes, long durationMillis, long p) {}

                        @Override
                        public void aborted(long id, String reason) {}
                    });
            if (step[1] > 0) {
                assertThatThrownBy(() -> runner.run(new JobRunner.RestoreMode.Latest()))
                        .hasMessageContaining("injected failure");
            } else {
                runner.run(new JobRunner.RestoreMode.Latest());
            }
        }
        assertThat(MarketStatsOracle.committedLines(output))
                .isEqualTo(MarketStatsOracle.compute(input, 0).lines());
    }
}

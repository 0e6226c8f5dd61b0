package io.tidemark.pipeline.marketstats;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rescalesOnRestoreByKeyGroups() throws Exception {
        MarketStatsInput input = new MarketStatsInput(null, 100_000, 40, SEED);
        Path output = dir.resolve("out");
        // fail once at parallelism 3; the restart restores at the same parallelism, then a second job restores the
        // final checkpoint at parallelism 1 and must find nothing left to do
        MarketStatsHarness.run(
                MarketStatsHarness.config(dir, 3), input, output, ErrorPolicy.DEAD_LETTER, new AtomicLong(30_000));
        assertThat(MarketStatsOracle.committedLines(output))
                .isEqualTo(MarketStatsOracle.compute(input, 0).lines());
    }
}

package io.tidemark.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/reliability.md C1 and C4 with the real launcher in child JVMs: kill -9 at seeded random times after READY, restart
 * with {@code --restore latest}, repeat; the final committed output equals the oracle with no duplicates and no gaps,
 * and no JVM crash log appears. Cycles: {@code -Dtidemark.c1.cycles} (default 20; {@code -Pextended} runs 200).
 */
class CrashLoopTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime() % 100_000);
    private static final int CYCLES = Integer.getInteger("tidemark.c1.cycles", 20);
    private static final String BACKEND = System.getProperty("tidemark.c1.backend", "heap");

    @TempDir
    Path dir;

    @Test
    void killNineLoopEndsWithExactlyTheOracleOutput() {
        // the time limit scales with the cycles: CI runs 20 (about 40 s), -Pextended 200
        assertTimeoutPreemptively(Duration.ofSeconds(90 + 6L * CYCLES), this::killNineLoop);
    }

    private void killNineLoop() throws Exception {
        System.out.println("C1 seed=" + SEED + " cycles=" + CYCLES + " backend=" + BACKEND);
        Random random = new Random(SEED);
        // paced so that every cycle makes bounded progress and the input outlasts the kills
        String input = "gen:" + Math.max(12_000_000L, CYCLES * 700_000L) + ",symbols=40,rate=1500000,seed=" + SEED;
        Path output = dir.resolve("out");
        int kills = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            try (ChildLauncher child = ChildLauncher.start(dir, args(input, output, cycle > 0))) {
                assertThat(child.awaitLine("READY", 60_000))
                        .as(child::transcript)
                        .isTrue();
                Thread.sleep(50 + random.nextInt(600));
                if (!child.isAlive()) {
                    assertThat(child.waitFor(1000)).as(child::transcript).isZero();
                    break;
                }
                child.kill();
                kills++;
            }
        }
        try (ChildLauncher last = ChildLauncher.start(dir, args(input, output, true))) {
            assertThat(last.waitFor(120_000)).as(last::transcript).isZero();
        }
        System.out.println("C1 kills=" + kills);
        assertThat(kills).as("kills landed before the job ended").isGreaterThanOrEqualTo(Math.min(2, CYCLES));

        MarketStatsOracle.Expected expected = MarketStatsOracle.compute(MarketStatsInput.parse(input), 0);
        List<String> committed = MarketStatsOracle.committedLines(output);
        assertThat(committed).doesNotHaveDuplicates();
        assertThat(committed).isEqualTo(expected.lines());
        assertThat(Files.readAllLines(output.resolve("late.csv"))).hasSize((int) expected.late());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
        }
        try (var files = Files.list(output)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void secondProcessOnTheSameStateDirectoryFailsFast() throws Exception {
        Path output = dir.resolve("out");
        try (ChildLauncher first = ChildLauncher.start(dir, args("gen:100000000,symbols=10", output, false))) {
            assertThat(first.awaitLine("READY", 60_000)).as(first::transcript).isTrue();
            long start = System.nanoTime();
            int code = Launcher.execute(
                    args("gen:1000", dir.resolve("out2"), false).toArray(new String[0]));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(code).isEqualTo(Launcher.EXIT_FAILURE);
            assertThat(millis).isLessThan(5_000);
            assertThat(first.isAlive()).isTrue();
        }
    }

    private List<String> args(String input, Path output, boolean restore) {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "market-stats",
                "--input",
                input,
                "--output",
                output.toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--backend",
                BACKEND,
                "--parallelism",
                "2",
                "--max-parallelism",
                "32",
                "--checkpoint-interval",
                "100ms"));
        if (restore) {
            args.add("--restore");
            args.add("latest");
        }
        return args;
    }
}

package io.tidemark.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** savepoint and stop through the control port; a run restored from the stop savepoint continues exactly once. */
class SavepointStopTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void stopWithSavepointThenRestoreGivesTheOracleOutput() throws Exception {
        String input = "gen:3000000,symbols=30,rate=400000,seed=5";
        Path output = dir.resolve("out");
        Path savepoints = dir.resolve("savepoints");
        List<String> run = List.of(
                "run",
                "market-stats",
                "--input",
                input,
                "--output",
                output.toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--backend",
                "heap",
                "--port",
                "0",
                "--checkpoint-interval",
                "100ms");
        try (ChildLauncher child = ChildLauncher.start(dir, run)) {
            int port = child.awaitControlPortAndFirstCheckpoint(60_000);

            assertThat(Launcher.execute("savepoint", "--port", String.valueOf(port), "--target", savepoints.toString()))
                    .isEqualTo(Launcher.EXIT_OK);
            assertThat(Launcher.execute("stop", "--port", String.valueOf(port), "--savepoint", savepoints.toString()))
                    .isEqualTo(Launcher.EXIT_OK);
            assertThat(child.waitFor(30_000)).as(child::transcript).isZero();
            assertThat(child.transcript()).contains("STOPPED");
        }
        Path last;
        try (var dirs = Files.list(savepoints)) {
            last = dirs.max((a, b) -> Long.compare(id(a), id(b))).orElseThrow();
        }
        assertThat(Launcher.execute("inspect", last.toString())).isEqualTo(Launcher.EXIT_OK);
        String[] restore = {
            "run",
            "market-stats",
            "--input",
            "gen:3000000,symbols=30,seed=5",
            "--output",
            output.toString(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--backend",
            "heap",
            "--restore",
            last.toString()
        };
        assertThat(Launcher.execute(restore)).isEqualTo(Launcher.EXIT_OK);

        List<String> expected =
                MarketStatsOracle.compute(MarketStatsInput.parse(input), 0).lines();
        assertThat(MarketStatsOracle.committedLines(output)).isEqualTo(expected);
    }

    private static long id(Path savepoint) {
        String name = savepoint.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
    }
}

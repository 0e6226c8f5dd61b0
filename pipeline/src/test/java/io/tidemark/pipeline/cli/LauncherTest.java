package io.tidemark.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsOracle;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's contract: exit codes 0/2/1, refusals, restore, inspect, corrupt checkpoints (P5). */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void usageErrorsExitWith2() {
        assertThat(Launcher.execute()).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(Launcher.execute("run", "market-stats", "--output", "x")).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(Launcher.execute("run", "market-stats", "--input", "gen:10", "--output", "x", "--mode", "maybe"))
                .isEqualTo(Launcher.EXIT_USAGE);
        assertThat(Launcher.execute("run", "no.such.Job", "--input", "gen:10", "--output", "x"))
                .isEqualTo(Launcher.EXIT_USAGE);
        assertThat(Launcher.execute("bogus")).isEqualTo(Launcher.EXIT_USAGE);
        for (String threshold : new String[] {"2m", "-1", "lots"}) {
            assertThat(Launcher.execute(
                            "run",
                            "market-stats",
                            "--input",
                            "gen:10",
                            "--output",
                            "x",
                            "--inline-threshold",
                            threshold))
                    .as("--inline-threshold %s", threshold)
                    .isEqualTo(Launcher.EXIT_USAGE);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runRefusesToStartOverRestoresInspectsAndRefusesACorruptCheckpoint() throws Exception {
        Path out = dir.resolve("out");
        String state = dir.resolve("state").toString();
        String[] run = {
            "run",
            "market-stats",
            "--input",
            "gen:50000,symbols=10",
            "--output",
            out.toString(),
            "--state-dir",
            state,
            "--backend",
            "heap",
            "--checkpoint-interval",
            "50ms"
        };
        assertThat(Launcher.execute(run)).isEqualTo(Launcher.EXIT_OK);
        List<String> expected = MarketStatsOracle.compute(MarketStatsInput.parse("gen:50000,symbols=10"), 0)
                .lines();
        assertThat(MarketStatsOracle.committedLines(out)).isEqualTo(expected);

        // a fresh start over existing checkpoints is refused; --restore latest finds nothing left to do
        assertThat(Launcher.execute(run)).isEqualTo(Launcher.EXIT_FAILURE);
        assertThat(Launcher.execute(concat(run, "--restore", "latest"))).isEqualTo(Launcher.EXIT_OK);
        assertThat(MarketStatsOracle.committedLines(out)).isEqualTo(expected);

        Path checkpoints = dir.resolve("state").resolve("checkpoints");
        assertThat(Launcher.execute("inspect", checkpoints.toString())).isEqualTo(Launcher.EXIT_OK);

        Path metadata;
        try (Stream<Path> files = Files.walk(checkpoints)) {
            metadata = files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .max(Path::compareTo)
                    .orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(metadata.toFile(), "rw")) {
            long position = file.length() / 2;
            file.seek(position);
            int b = file.read();
            file.seek(position);
            file.write(b ^ 0x10);
        }
        assertThat(Launcher.execute(concat(run, "--restore", "latest"))).isEqualTo(Launcher.EXIT_FAILURE);
        assertThat(Launcher.execute("inspect", metadata.toString())).isEqualTo(Launcher.EXIT_FAILURE);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runsAPipelineProgramByClassName() throws Exception {
        Path out = dir.resolve("squares");
        int code = Launcher.execute(
                "run",
                SquaresProgram.class.getName(),
                "--input",
                "1000",
                "--output",
                out.toString(),
                "--state-dir",
                dir.resolve("s").toString(),
                "--parallelism",
                "3");
        assertThat(code).isEqualTo(Launcher.EXIT_OK);
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.toList()) {
                lines.addAll(Files.readAllLines(part));
            }
        }
        assertThat(lines).hasSize(1000);
        assertThat(lines.stream().mapToLong(Long::parseLong).sum()).isEqualTo(332_833_500L);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

package io.tidemark.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.offline.CheckpointInspector;
import io.tidemark.checkpoint.offline.OfflineSnapshot;
import io.tidemark.checkpoint.offline.SavepointTransform;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.pipeline.marketstats.MarketStatsFunction;
import io.tidemark.serialization.Serializers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY.md F1: the offline tools on what the launcher writes. A child JVM runs market-stats on the {@code
 * offheap} backend (native incremental checkpoints) and takes a savepoint (canonical); {@code inspect}, {@link
 * OfflineSnapshot} and {@link SavepointTransform} open both, and a transformed savepoint restores. Before the one stack,
 * opening a launcher checkpoint failed with "unsupported checkpoint payload version ... actual=84".
 */
class OfflineToolsOnLauncherOutputTest {
    private static final String PACED = "gen:2000000,symbols=20,rate=300000,seed=9";
    private static final String WHOLE = "gen:2000000,symbols=20,seed=9";
    private static final String OPERATOR = "window-stats";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void offlineToolsReadTheLaunchersCheckpointAndSavepointAndATransformedSavepointRestores() throws Exception {
        Path savepoints = dir.resolve("savepoints");
        Path state = dir.resolve("state");
        Path savepoint = runAndTakeSavepoint(state, savepoints);
        Path checkpoints = state.resolve("checkpoints");

        for (Path snapshot : List.of(savepoint, checkpoints)) {
            OfflineSnapshot offline = OfflineSnapshot.open(snapshot);
            offline.verifyAll();
            Map<String, OfflineSnapshot.StateSummary> states = new HashMap<>();
            for (OfflineSnapshot.StateSummary s : offline.describeStates(OPERATOR)) {
                states.put(s.description().name(), s);
            }
            assertThat(states).containsKeys("totals", "windows");
            assertThat(states.get("totals").description().type()).isEqualTo("VALUE");
            assertThat(states.get("totals").description().serializers()).contains("key=", "value=");
            assertThat(states.get("totals").entries()).as(snapshot.toString()).isBetween(1L, 20L);
            Map<Object, Object> totals = new HashMap<>();
            offline.forEach(OPERATOR, "totals", (group, key, ns, value) -> totals.put(key, value));
            assertThat(totals).hasSize((int) states.get("totals").entries());
            assertThat(totals.values()).allSatisfy(v -> assertThat(((MarketStatsFunction.Totals) v).count())
                    .isPositive());

            String report = CheckpointInspector.describe(snapshot);
            assertThat(report).contains("keyed totals: VALUE", "keyed windows: MAP", "entries=", "operator position");
            assertThat(Launcher.execute("inspect", snapshot.toString())).isEqualTo(Launcher.EXIT_OK);
        }
        assertThat(OfflineSnapshot.open(checkpoints)
                        .job()
                        .operator(OPERATOR)
                        .subtasks()
                        .get(0)
                        .keyedHandles()
                        .get(0)
                        .format())
                .as("the checkpoint is the offheap backend's native format")
                .startsWith("offheap");

        Path transformed = dir.resolve("transformed");
        CompletedCheckpoint written = SavepointTransform.of(OfflineSnapshot.open(savepoint))
                .mapValues(
                        OPERATOR,
                        "totals",
                        Serializers.of(MarketStatsFunction.Totals.class),
                        t -> new MarketStatsFunction.Totals(t.count() + 1_000_000, t.volume(), t.notional()))
                .dropKeyedState(OPERATOR, "windows")
                .write(NioCheckpointFileSystem.INSTANCE, transformed, 1_000, CompressionConfig.DEFAULT);
        assertThat(written.metadata().savepoint()).isTrue();
        assertThat(OfflineSnapshot.open(transformed).describeStates(OPERATOR))
                .extracting(s -> s.description().name())
                .contains("totals")
                .doesNotContain("windows");

        Map<Object, Long> baseline = finalCounts(restoreAndFinish(dir.resolve("baseline"), savepoint));
        Map<Object, Long> mapped = finalCounts(restoreAndFinish(dir.resolve("mapped"), transformed));
        assertThat(mapped).hasSameSizeAs(baseline);
        for (Map.Entry<Object, Long> e : baseline.entrySet()) {
            assertThat(mapped.get(e.getKey()))
                    .as("restored totals of %s carry the mapped value", e.getKey())
                    .isEqualTo(e.getValue() + 1_000_000);
        }
    }

    private Path runAndTakeSavepoint(Path state, Path savepoints) throws Exception {
        List<String> run = List.of(
                "run",
                "market-stats",
                "--input",
                PACED,
                "--output",
                dir.resolve("out").toString(),
                "--state-dir",
                state.toString(),
                "--backend",
                "offheap",
                "--port",
                "0",
                "--checkpoint-interval",
                "100ms");
        try (ChildLauncher child = ChildLauncher.start(dir, run)) {
            String port = String.valueOf(child.awaitControlPortAndFirstCheckpoint(60_000));
            assertThat(Launcher.execute("stop", "--port", port, "--savepoint", savepoints.toString()))
                    .isEqualTo(Launcher.EXIT_OK);
            assertThat(child.waitFor(30_000)).as(child::transcript).isZero();
        }
        try (var entries = Files.list(savepoints)) {
            return entries.findFirst().orElseThrow();
        }
    }

    /**
     * Runs market-stats to the end of its input from {@code snapshot} on a copy of the first run's output (the sink's
     * restored state refers to the files it committed there); returns its checkpoint root.
     */
    private Path restoreAndFinish(Path base, Path snapshot) throws IOException {
        Path source = dir.resolve("out");
        Files.createDirectories(base);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, base.resolve("out").resolve(source.relativize(p).toString()));
            }
        }
        assertThat(Launcher.execute(
                        "run",
                        "market-stats",
                        "--input",
                        WHOLE,
                        "--output",
                        base.resolve("out").toString(),
                        "--state-dir",
                        base.resolve("state").toString(),
                        "--backend",
                        "offheap",
                        "--restore",
                        snapshot.toString()))
                .isEqualTo(Launcher.EXIT_OK);
        return base.resolve("state").resolve("checkpoints");
    }

    private static Map<Object, Long> finalCounts(Path checkpoints) {
        Map<Object, Long> counts = new HashMap<>();
        OfflineSnapshot.open(checkpoints)
                .forEach(
                        OPERATOR,
                        "totals",
                        (group, key, ns, value) -> counts.put(key, ((MarketStatsFunction.Totals) value).count()));
        return counts;
    }
}

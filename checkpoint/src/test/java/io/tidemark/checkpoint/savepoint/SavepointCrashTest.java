package io.tidemark.checkpoint.savepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.storage.CheckpointLayout;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.CrashPoint;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * C3: a child JVM halts at crash points while writing a savepoint and while restoring. A savepoint is then absent (no
 * {@code _metadata}: loading refuses it, the next write to that path replaces the leftover) or complete (restores
 * the oracle); after a crash during restore the next start takes the root's lock and restores the same checkpoint.
 */
class SavepointCrashTest {
    static final int MAX = SavepointCrashChild.MAX_PARALLELISM;
    static final int KEYS = SavepointCrashChild.KEYS;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void crashDuringSavepointLeavesItAbsentOrComplete() throws Exception {
        // point -> whether the savepoint exists after the crash; AFTER_RENAME: _metadata was renamed (not yet synced)
        Map<String, Boolean> points = new LinkedHashMap<>();
        points.put(CrashPoint.SAVEPOINT_DURING_DATA, false);
        points.put(CrashPoint.AFTER_DATA_FSYNC, false);
        points.put(CrashPoint.SAVEPOINT_BEFORE_PUBLISH, false);
        points.put(CrashPoint.AFTER_METADATA_TMP_FSYNC, false);
        points.put(CrashPoint.AFTER_RENAME, true);
        Map<String, Process> children = new LinkedHashMap<>();
        for (String point : points.keySet()) {
            Path dir = tmp.resolve(point);
            children.put(
                    point,
                    start(
                            dir,
                            point,
                            "savepoint",
                            dir.resolve("sp").toString(),
                            dir.resolve("work").toString()));
        }
        for (Map.Entry<String, Process> e : children.entrySet()) {
            String point = e.getKey();
            Path dir = tmp.resolve(point);
            awaitHalt(dir, point, e.getValue());
            Path sp = dir.resolve("sp");
            try (JobFixture job = new JobFixture(JobFixture.Backend.HEAP, dir.resolve("check"), MAX)) {
                if (points.get(point)) {
                    job.assertKeyedState(job.restore(fs, Savepoints.load(fs, sp), 3), KEYS);
                } else {
                    assertThatThrownBy(() -> Savepoints.load(fs, sp))
                            .as(point)
                            .isInstanceOf(CorruptCheckpointException.class)
                            .hasMessageContaining("metadata file missing");
                    var subtasks = job.create(2);
                    job.populate(subtasks, KEYS);
                    CompletedCheckpoint again =
                            Savepoints.write(fs, sp, 2, CompressionConfig.DEFAULT, job.savepointInputs(subtasks));
                    job.assertKeyedState(job.restore(fs, again, 3), KEYS);
                    try (Stream<Path> files = Files.list(sp)) {
                        assertThat(files.map(p -> p.getFileName().toString()))
                                .as(point + ": the leftover's files are gone")
                                .allMatch(n -> n.equals(CheckpointLayout.METADATA)
                                        || n.endsWith("chk2." + n.substring(n.lastIndexOf('.') + 1)));
                    }
                }
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void crashDuringRestoreThenNextStartRestores() throws Exception {
        Path root = tmp.resolve("root");
        try (JobFixture job = new JobFixture(JobFixture.Backend.HEAP, tmp.resolve("work"), MAX);
                CheckpointStorage storage =
                        CheckpointStorage.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY)) {
            var subtasks = job.create(2);
            job.populate(subtasks, KEYS);
            job.checkpoint(storage, 1, SnapshotKind.FULL, subtasks);
        }
        List<Process> children = new ArrayList<>();
        String[] points = {CrashPoint.AFTER_RESTORE_VERIFY, CrashPoint.DURING_RESTORE};
        for (String point : points) {
            Path dir = tmp.resolve(point);
            children.add(start(
                    dir, point, "restore", root.toString(), dir.resolve("work").toString(), "5"));
            awaitHalt(dir, point, children.get(children.size() - 1)); // one at a time: they share the root's lock
        }
        Path dir = tmp.resolve("next-start");
        Process next =
                start(dir, null, "restore", root.toString(), dir.resolve("work").toString(), "5");
        assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("stdout")))
                .as(Files.readString(dir.resolve("stderr")))
                .contains("DONE");
        assertThat(next.exitValue()).isZero();
    }

    private Process start(Path dir, String point, String... args) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(ChildJvm.command(dir, SavepointCrashChild.class, args));
        cmd.add(1, "-XX:TieredStopAtLevel=1");
        if (point != null) {
            cmd.add(1, "-D" + CrashPoint.PROPERTY + "=" + point);
        }
        return new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
    }

    private static void awaitHalt(Path dir, String point, Process child) throws Exception {
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("child did not halt at " + point);
        }
        String out = Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8);
        String where = point + "\nstdout:\n" + out + "\nstderr:\n" + Files.readString(dir.resolve("stderr"));
        assertThat(child.exitValue()).as(where).isEqualTo(CrashPoint.HALT_STATUS);
        assertThat(out).as(where).contains("CRASHPOINT " + point).doesNotContain("DONE");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as(where).noneMatch(n -> n.startsWith("hs_err"));
        }
    }
}

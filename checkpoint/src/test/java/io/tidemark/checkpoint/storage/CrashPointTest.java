package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * C2: a child JVM (same classpath, same JVM flags, via core's {@link ChildJvm}) halts at each named crash point of the commit protocol while
 * committing checkpoint 4 (3 retained). Before the rename checkpoint 3 is restored, from the rename on checkpoint 4;
 * never a partial 4; the leftovers are then cleaned and checkpointing goes on.
 */
class CrashPointTest {
    static final long CRASHING_CHECKPOINT = 4;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyCrashPointRestoresTheRightCheckpoint() throws Exception {
        Map<String, Process> children = new LinkedHashMap<>();
        for (String point : CrashPoint.ALL) {
            // retention first runs while committing checkpoint 4, so its first hit is the one in checkpoint 4
            int hit = point.equals(CrashPoint.DURING_RETENTION_DELETE) ? 1 : (int) CRASHING_CHECKPOINT;
            children.put(point, start(point, hit));
        }
        for (Map.Entry<String, Process> e : children.entrySet()) {
            verify(e.getKey(), e.getValue());
        }
    }

    private Process start(String point, int hit) throws IOException {
        Path dir = tmp.resolve(point);
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(
                ChildJvm.command(dir, CrashPointChild.class, dir.resolve("root").toString(), "1", "6"));
        cmd.addAll(
                1,
                List.of(
                        "-XX:TieredStopAtLevel=1",
                        "-D" + CrashPoint.PROPERTY + "=" + point,
                        "-D" + CrashPoint.HIT_PROPERTY + "=" + hit));
        return new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
    }

    private void verify(String point, Process child) throws Exception {
        Path dir = tmp.resolve(point);
        if (!child.waitFor(90, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("child did not halt at " + point);
        }
        String out = Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        String where = point + "\nstdout:\n" + out + "\nstderr:\n" + err;
        assertThat(child.exitValue()).as(where).isEqualTo(CrashPoint.HALT_STATUS);
        assertThat(out).as(where).contains("CRASHPOINT " + point);
        assertThat(out.lines().filter(l -> l.startsWith("CHECKPOINT_COMPLETED")))
                .as(where)
                .containsExactly("CHECKPOINT_COMPLETED id=1", "CHECKPOINT_COMPLETED id=2", "CHECKPOINT_COMPLETED id=3");
        assertThat(hsErrFiles(dir)).as(where).isEmpty();

        Path root = dir.resolve("root");
        Path chk = root.resolve("chk-" + CRASHING_CHECKPOINT);
        boolean renamed =
                !point.equals(CrashPoint.AFTER_DATA_FSYNC) && !point.equals(CrashPoint.AFTER_METADATA_TMP_FSYNC);
        // the crash left the protocol state it names
        assertThat(Files.exists(chk.resolve(CheckpointLayout.METADATA)))
                .as(where)
                .isEqualTo(renamed);
        assertThat(Files.exists(chk.resolve(CheckpointLayout.METADATA_TMP)))
                .as(where)
                .isEqualTo(point.equals(CrashPoint.AFTER_METADATA_TMP_FSYNC));
        if (point.equals(CrashPoint.DURING_RETENTION_DELETE)) {
            assertThat(root.resolve("chk-1")).as(where).exists();
            assertThat(root.resolve("chk-1/_metadata")).as(where).doesNotExist();
        }

        CheckpointStorage storage =
                CheckpointStorage.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
        long expectedLatest = renamed ? CRASHING_CHECKPOINT : CRASHING_CHECKPOINT - 1;
        assertThat(storage.latest().checkpointId()).as(where).isEqualTo(expectedLatest);
        assertThat(storage.retained().stream().map(CompletedCheckpoint::checkpointId))
                .as(where)
                .containsExactly(expectedLatest - 2, expectedLatest - 1, expectedLatest);
        for (CompletedCheckpoint cp : storage.retained()) {
            Workload.assertRestores(fs, cp);
        }
        assertThat(leftovers(root)).as(where).isEmpty();
        assertThat(chk.toFile().exists()).as(where).isEqualTo(renamed);

        Workload.write(storage, CRASHING_CHECKPOINT + 1, true);
        Workload.assertRestores(fs, storage.latest());
    }

    private static List<Path> hsErrFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("hs_err"))
                    .collect(Collectors.toList());
        }
    }

    private static List<Path> leftovers(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".tmp")
                            || p.getParent().equals(root)
                                    && p.getFileName().toString().startsWith("chk-")
                                    && !Files.exists(p.resolve(CheckpointLayout.METADATA)))
                    .collect(Collectors.toList());
        }
    }
}

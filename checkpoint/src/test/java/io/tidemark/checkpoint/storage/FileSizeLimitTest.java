package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * S2 against the real OS: under {@code ulimit -f} a write past the limit fails with EFBIG ("File too large"; the JVM
 * ignores SIGXFSZ), which must surface as {@link io.tidemark.StorageSpaceException} naming the file, abort only that
 * checkpoint, and leave the previous one restorable.
 */
@EnabledOnOs(OS.LINUX)
class FileSizeLimitTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fileSizeLimitAbortsOnlyThatCheckpoint() throws Exception {
        Path root = tmp.resolve("root");
        List<String> java = new ArrayList<>(
                ChildJvm.command(tmp, FileSizeLimitChild.class, root.toString(), String.valueOf(2 << 20)));
        java.addAll(1, List.of("-XX:-UsePerfData", "-XX:TieredStopAtLevel=1"));
        StringBuilder script = new StringBuilder("ulimit -f 1024 && exec");
        for (String a : java) {
            script.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        Process child = new ProcessBuilder("bash", "-c", script.toString())
                .redirectOutput(tmp.resolve("stdout").toFile())
                .redirectError(tmp.resolve("stderr").toFile())
                .start();
        if (!child.waitFor(50, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("child did not finish");
        }
        String out = Files.readString(tmp.resolve("stdout"), StandardCharsets.UTF_8);
        String where = "stdout:\n" + out + "\nstderr:\n" + Files.readString(tmp.resolve("stderr"));
        assertThat(child.exitValue()).as(where).isZero();
        assertThat(out)
                .as(where)
                .contains("FAILED StorageSpaceException")
                .contains("File too large")
                .contains("file=" + root.resolve("chk-2/task-0.keyed"))
                .contains("LATEST 1");
        assertThat(root.resolve("chk-2")).doesNotExist();
        CheckpointStorage storage = CheckpointStorage.open(
                CheckpointStorageConfig.of(root), NioCheckpointFileSystem.INSTANCE, RestorePolicy.LATEST_ONLY);
        assertThat(storage.latest().checkpointId()).isEqualTo(1);
        assertThat(storage.recoveryReport().deleted()).isEmpty();
        Workload.assertRestores(NioCheckpointFileSystem.INSTANCE, storage.latest());
    }
}

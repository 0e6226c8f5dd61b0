package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** C4: a second engine on the same checkpoint root fails fast while the first holds the root's lock file. */
class RootLockTest {
    @TempDir
    Path tmp;

    @Test
    void secondStorageInThisJvmFailsFastUntilTheFirstCloses() {
        CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;
        CheckpointStorageConfig config = CheckpointStorageConfig.of(tmp.resolve("root"));
        CheckpointStorage first = CheckpointStorage.open(config, fs, RestorePolicy.LATEST_ONLY);
        Workload.write(first, 1, false);
        assertThatThrownBy(() -> CheckpointStorage.open(config, fs, RestorePolicy.LATEST_ONLY))
                .isInstanceOf(io.tidemark.checkpoint.fs.DirectoryLockedException.class)
                .hasMessageContaining("directory=" + tmp.resolve("root"))
                .hasMessageContaining("_lock");
        first.close();
        assertThatThrownBy(() -> first.begin(2)).isInstanceOf(IllegalStateException.class);
        try (CheckpointStorage second = CheckpointStorage.open(config, fs, RestorePolicy.LATEST_ONLY)) {
            assertThat(second.latest().checkpointId()).isEqualTo(1);
        }
    }

    @Test
    void faultFileSystemReleasesLocksAtPowerLoss() {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem(tmp.resolve("root"), tmp.resolve("scratch"));
        CheckpointStorageConfig config = CheckpointStorageConfig.of(tmp.resolve("root"));
        CheckpointStorage.open(config, fs, RestorePolicy.LATEST_ONLY);
        assertThatThrownBy(() -> CheckpointStorage.open(config, fs, RestorePolicy.LATEST_ONLY))
                .isInstanceOf(io.tidemark.checkpoint.fs.DirectoryLockedException.class);
        fs.powerLoss();
        CheckpointStorage.open(config, fs, RestorePolicy.LATEST_ONLY).close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void engineInAnotherProcessFailsFastWhileTheFirstRuns() throws Exception {
        Path root = tmp.resolve("root");
        try (CheckpointStorage first = CheckpointStorage.open(
                CheckpointStorageConfig.of(root), NioCheckpointFileSystem.INSTANCE, RestorePolicy.LATEST_ONLY)) {
            Process child = new ProcessBuilder(ChildJvm.command(tmp, RootLockChild.class, root.toString()))
                    .redirectOutput(tmp.resolve("stdout").toFile())
                    .redirectError(tmp.resolve("stderr").toFile())
                    .start();
            assertThat(child.waitFor(45, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(tmp.resolve("stdout"), StandardCharsets.UTF_8);
            assertThat(out).as(Files.readString(tmp.resolve("stderr"))).contains("LOCKED ");
            assertThat(first.latest()).isNull();
        }
    }
}

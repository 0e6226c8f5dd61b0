package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.checkpoint.fs.DirectoryLock;
import io.tidemark.checkpoint.fs.DirectoryLockedException;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RELIABILITY.md C4 for the pipeline: a second engine on a state directory in use fails fast and touches nothing. */
class StateDirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRunOnAStateDirectoryHeldByAnotherEngineFailsFastAndLeavesItsFiles() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path file = Files.writeString(work.resolve("in-use"), "the other engine's");
        Pipeline pipeline =
                new Pipeline(new PipelineContext().stateDirectory(dir).maxParallelism(8));
        pipeline.source("numbers", () -> new BackpressureCheckpointTest.NumberSource(10), 1)
                .sink("collect", BackpressureCheckpointTest.CollectingSink::new, 1);
        DirectoryLock other =
                DirectoryLock.acquire(NioCheckpointFileSystem.INSTANCE, dir, JobRunner.STATE_LOCK, "state directory");
        try {
            assertThatThrownBy(() ->
                            new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None()))
                    .isInstanceOf(DirectoryLockedException.class)
                    .hasMessageContaining("state directory is in use")
                    .hasMessageContaining(dir.toString());
            assertThat(file)
                    .as("working files of the other engine are not wiped")
                    .exists();
        } finally {
            other.close();
        }
        assertThat(new JobRunner(pipeline, new JobRunner.Events() {})
                        .run(new JobRunner.RestoreMode.None())
                        .restarts())
                .isZero();
    }
}

package io.tidemark.checkpoint.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.savepoint.Savepoints;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.checkpoint.testing.JobFixture.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner verifies every file it needs before any state is loaded, naming file, offset, expected and actual. */
class RestoreVerificationTest {
    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    CompletedCheckpoint savepoint(JobFixture job) {
        var subtasks = job.create(2);
        job.populate(subtasks, 100);
        return Savepoints.write(fs, tmp.resolve("sp"), 1, CompressionConfig.DEFAULT, job.savepointInputs(subtasks));
    }

    @Test
    void bitFlipInAnyDataFileIsRefusedBeforeLoading() throws Exception {
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("work"), 16)) {
            CompletedCheckpoint sp = savepoint(job);
            for (FileReference f : sp.metadata().files()) {
                Path file = sp.resolve(f);
                byte[] original = Files.readAllBytes(file);
                byte[] damaged = original.clone();
                int pos = original.length / 2;
                damaged[pos] ^= 0x10;
                Files.write(file, damaged);
                try {
                    assertThatThrownBy(() -> RestorePlanner.plan(fs, sp, JobFixture.OPERATOR, 3, 16))
                            .isInstanceOf(CorruptCheckpointException.class)
                            .satisfies(t -> {
                                CorruptCheckpointException e = (CorruptCheckpointException) t;
                                assertThat(e.file()).isEqualTo(file.toString());
                                assertThat(e.offset()).isBetween(0L, (long) pos);
                                assertThat(e.expected()).isNotEqualTo(e.actual());
                            });
                } finally {
                    Files.write(file, original);
                }
            }
            job.assertKeyedState(job.restore(fs, sp, 3), 100);
        }
    }

    @Test
    void swappedDataFilesAreRefused() throws Exception {
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("work"), 16)) {
            CompletedCheckpoint sp = savepoint(job);
            var keyed = sp.metadata().files().stream()
                    .filter(f -> f.name().startsWith("s-keyed"))
                    .toList();
            assertThat(keyed).hasSize(2);
            Path a = sp.resolve(keyed.get(0));
            Path b = sp.resolve(keyed.get(1));
            Path t = tmp.resolve("swap");
            Files.move(a, t);
            Files.move(b, a);
            Files.move(t, b);
            assertThatThrownBy(() -> RestorePlanner.plan(fs, sp, JobFixture.OPERATOR, 1, 16))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining("file=");
        }
    }

    @Test
    void missingDataFileIsRefused() throws Exception {
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("work"), 16)) {
            CompletedCheckpoint sp = savepoint(job);
            Path victim = sp.resolve(sp.metadata().files().get(0));
            Files.delete(victim);
            assertThatThrownBy(() -> RestorePlanner.plan(fs, sp, JobFixture.OPERATOR, 2, 16))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining(victim.toString())
                    .hasMessageContaining("absent");
        }
    }

    @Test
    void stateWithoutABackendIsRefusedNotDropped() throws Exception {
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("work"), 16)) {
            CompletedCheckpoint sp = savepoint(job);
            RestorePlan plan = RestorePlanner.plan(fs, sp, JobFixture.OPERATOR, 1, 16);
            var subtask = job.create(1).get(0);
            assertThatThrownBy(() -> plan.task(0).restore(null, subtask.operator(), plan.reader()))
                    .isInstanceOf(io.tidemark.ConfigurationException.class)
                    .hasMessageContaining("would be lost");
        }
    }
}

package io.tidemark.checkpoint.restore;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.savepoint.Savepoints;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.checkpoint.testing.JobFixture.Backend;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R1: a job checkpoint (native FULL snapshots) and a savepoint (canonical) taken at parallelism p on every backend
 * restore at p' in {1, p/2, 2p, maxParallelism} for maxParallelism 13 and 128: every key's state equals the oracle
 * and is held by exactly one subtask; operator state is split, unioned and broadcast correctly.
 */
class RescaleTest {
    static final int P = 4;
    static final int KEYS = 300;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    static List<Arguments> cases() {
        return List.of(
                Arguments.of(Backend.HEAP, 13),
                Arguments.of(Backend.HEAP, 128),
                Arguments.of(Backend.CHRONICLE, 13),
                Arguments.of(Backend.CHRONICLE, 128),
                Arguments.of(Backend.OFFHEAP, 13),
                Arguments.of(Backend.OFFHEAP, 128));
    }

    @ParameterizedTest(name = "{0} maxParallelism={1}")
    @MethodSource("cases")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void checkpointAndSavepointRestoreAtEveryParallelism(Backend backend, int maxParallelism) throws Exception {
        try (JobFixture job = new JobFixture(backend, tmp.resolve("work"), maxParallelism);
                CheckpointStorage storage = CheckpointStorage.open(
                        CheckpointStorageConfig.of(tmp.resolve("checkpoints")), fs, RestorePolicy.LATEST_ONLY)) {
            var subtasks = job.create(P);
            job.populate(subtasks, KEYS);
            CompletedCheckpoint checkpoint = job.checkpoint(storage, 1, SnapshotKind.FULL, subtasks);
            CompletedCheckpoint savepoint = Savepoints.write(
                    fs, tmp.resolve("savepoint"), 2, CompressionConfig.DEFAULT, job.savepointInputs(subtasks));
            Set<Integer> parallelisms = new LinkedHashSet<>(List.of(1, P / 2, 2 * P, maxParallelism));
            for (int p : parallelisms) {
                for (CompletedCheckpoint source : List.of(checkpoint, savepoint)) {
                    var restored = job.restore(fs, source, p);
                    job.assertKeyedState(restored, KEYS);
                    JobFixture.assertOperatorState(restored, P);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void anotherMaxParallelismIsRefusedNamingBoth(Backend backend) throws Exception {
        try (JobFixture job = new JobFixture(backend, tmp.resolve("work"), 13)) {
            var subtasks = job.create(2);
            job.populate(subtasks, 20);
            CompletedCheckpoint savepoint = Savepoints.write(
                    fs, tmp.resolve("savepoint"), 1, CompressionConfig.DEFAULT, job.savepointInputs(subtasks));
            assertThatThrownBy(() -> RestorePlanner.plan(fs, savepoint, JobFixture.OPERATOR, 2, 128))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("maxParallelism=128")
                    .hasMessageContaining("snapshot maxParallelism=13");
            assertThatThrownBy(() -> RestorePlanner.plan(fs, savepoint, JobFixture.OPERATOR, 14, 13))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("14");
            assertThatThrownBy(() -> RestorePlanner.plan(fs, savepoint, "nope", 1, 13))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("operator=nope");
        }
    }

    static List<Backend> backends() {
        return List.of(Backend.values());
    }
}

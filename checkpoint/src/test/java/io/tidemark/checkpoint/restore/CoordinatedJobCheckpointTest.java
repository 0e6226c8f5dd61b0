package io.tidemark.checkpoint.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.TidemarkException;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.checkpoint.coordinator.CheckpointCoordinator;
import io.tidemark.checkpoint.coordinator.CheckpointCoordinatorConfig;
import io.tidemark.checkpoint.coordinator.CheckpointOutcome;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.offline.CheckpointInspector;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.FileSnapshotStorage;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.checkpoint.testing.JobFixture.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The coordinator commits job snapshots: subtasks acknowledge with {@link SubtaskState#toTaskSnapshot}, the committed
 * {@code _metadata} decodes as a {@link JobSnapshot}, and a new start (after the engine closed its storage) restores the
 * latest one at another parallelism.
 */
class CoordinatedJobCheckpointTest {
    static final int MAX_PARALLELISM = 32;
    static final int KEYS = 150;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void coordinatorCheckpointRestoresAtAnotherParallelism(Backend backend) throws Exception {
        Path root = tmp.resolve("root");
        Map<Long, SnapshotStorage> triggered = new ConcurrentHashMap<>();
        List<CheckpointOutcome> outcomes = new CopyOnWriteArrayList<>();
        List<TidemarkException> fatal = new CopyOnWriteArrayList<>();
        long[] now = {0};
        try (JobFixture job = new JobFixture(backend, tmp.resolve("work"), MAX_PARALLELISM)) {
            var subtasks = job.create(3);
            try (CheckpointStorage storage =
                    CheckpointStorage.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY)) {
                CheckpointCoordinator coordinator = new CheckpointCoordinator(
                        new CheckpointCoordinatorConfig(
                                Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(1), 1, 0),
                        storage,
                        subtasks.size(),
                        triggered::put,
                        () -> now[0],
                        fatal::add);
                coordinator.addListener(outcomes::add);
                for (int round = 0; round < 2; round++) {
                    job.populate(subtasks, KEYS); // same oracle, rewritten: the second checkpoint replaces the first
                    coordinator.poll();
                    long id = round + 1;
                    assertThat(triggered).containsKey(id);
                    var files = (FileSnapshotStorage) triggered.get(id);
                    List<SubtaskState> states = job.snapshot(id, SnapshotKind.INCREMENTAL, files, subtasks);
                    for (SubtaskState s : states) {
                        assertThat(coordinator.acknowledge(id, s.toTaskSnapshot(s.subtaskIndex())))
                                .isTrue();
                    }
                    now[0] += Duration.ofSeconds(2).toNanos();
                }
                coordinator.close();
            }
            assertThat(fatal).isEmpty();
            assertThat(outcomes).hasSize(2).allMatch(o -> o instanceof CheckpointOutcome.Completed);
            try (CheckpointStorage restarted =
                    CheckpointStorage.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY)) {
                JobSnapshot snapshot = JobSnapshot.of(restarted.latest());
                assertThat(snapshot.operator(JobFixture.OPERATOR).parallelism()).isEqualTo(3);
                for (int p : new int[] {1, 4}) {
                    var restored = job.restore(fs, restarted.latest(), p);
                    job.assertKeyedState(restored, KEYS);
                    JobFixture.assertOperatorState(restored, 3);
                }
                assertThat(CheckpointInspector.describe(restarted.latest().directory()))
                        .contains("operator counter: parallelism=3, maxParallelism=32");
            }
        }
    }
}

package io.tidemark.checkpoint.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.FileSnapshotStorage;
import io.tidemark.checkpoint.storage.PendingCheckpoint;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.checkpoint.testing.JobFixture.Backend;
import io.tidemark.state.ValueState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * X1 through checkpoint files: seeded random puts and removes interleaved with snapshot barriers; each snapshot's
 * asynchronous part runs on another thread while the operator thread keeps writing; every committed checkpoint
 * restores exactly the state at its barrier (values, and no other keys).
 */
class SnapshotIsolationTest {
    static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    static final int KEYS = 64;
    static final int SNAPSHOTS = 12;
    static final int MAX_PARALLELISM = 32;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @ParameterizedTest
    @EnumSource(Backend.class)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everySnapshotEqualsTheStateAtItsBarrier(Backend backend) throws Exception {
        System.out.println("SnapshotIsolationTest " + backend + " seed=" + SEED + " (re-run with -Dtidemark.test.seed="
                + SEED + ")");
        Random random = new Random(SEED);
        ExecutorService async = Executors.newSingleThreadExecutor();
        Map<Long, Map<Long, String>> atBarrier = new HashMap<>();
        List<CompletedCheckpoint> committed = new ArrayList<>();
        try (JobFixture job = new JobFixture(backend, tmp.resolve("work"), MAX_PARALLELISM);
                CheckpointStorage storage = CheckpointStorage.open(
                        CheckpointStorageConfig.of(tmp.resolve("root")).withRetainedCheckpoints(SNAPSHOTS),
                        fs,
                        RestorePolicy.LATEST_ONLY)) {
            var subtask = job.create(1).get(0);
            ValueState<String> value = subtask.keyed().getOrCreateKeyedState(JobFixture.VALUE);
            Map<Long, String> oracle = new HashMap<>();
            for (long id = 1; id <= SNAPSHOTS; id++) {
                mutate(random, subtask.keyed(), value, oracle, random.nextInt(200));
                PendingCheckpoint pending = storage.begin(id);
                FileSnapshotStorage files = FileSnapshotStorage.of(pending);
                Callable<KeyedStateHandle> keyedPart = subtask.keyed().snapshot(id, SnapshotKind.FULL, files);
                Callable<OperatorStateHandle> operatorPart = subtask.operator().snapshot(id, files);
                atBarrier.put(id, new HashMap<>(oracle));
                Future<KeyedStateHandle> keyed = async.submit(keyedPart);
                mutate(random, subtask.keyed(), value, oracle, 300); // concurrent with the asynchronous part
                KeyedStateHandle handle = keyed.get(60, TimeUnit.SECONDS);
                SubtaskState state = new SubtaskState(
                        JobFixture.OPERATOR,
                        0,
                        1,
                        MAX_PARALLELISM,
                        List.of(handle),
                        List.of(operatorPart.call()),
                        List.of());
                files.referenceStreams(state.streams());
                committed.add(
                        pending.commit(JobSnapshot.of(id, false, List.of(state)).toPayload()));
            }
            for (CompletedCheckpoint cp : committed) {
                Map<Long, String> expected = atBarrier.get(cp.checkpointId());
                var restored = job.restore(fs, cp, 1).get(0);
                var keys = JobFixture.dump(restored.keyed()).get("value");
                assertThat(new TreeSet<>(keys == null ? List.of() : keys))
                        .as("seed=%d checkpoint %d keys", SEED, cp.checkpointId())
                        .isEqualTo(new TreeSet<>(expected.keySet()));
                ValueState<String> v = restored.keyed().getOrCreateKeyedState(JobFixture.VALUE);
                for (Map.Entry<Long, String> e : expected.entrySet()) {
                    restored.keyed().setCurrentKey(e.getKey());
                    assertThat(v.value())
                            .as("seed=%d checkpoint %d key %d", SEED, cp.checkpointId(), e.getKey())
                            .isEqualTo(e.getValue());
                }
            }
        } finally {
            async.shutdownNow();
        }
    }

    private static void mutate(
            Random random,
            io.tidemark.backend.KeyedStateBackend<Long> keyed,
            ValueState<String> value,
            Map<Long, String> oracle,
            int ops) {
        for (int i = 0; i < ops; i++) {
            long key = random.nextInt(KEYS);
            keyed.setCurrentKey(key);
            if (random.nextInt(4) == 0) {
                value.clear();
                oracle.remove(key);
            } else {
                String v = "v" + random.nextInt(1_000_000);
                value.update(v);
                oracle.put(key, v);
            }
        }
    }
}

package io.tidemark.checkpoint.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.StorageSpaceException;
import io.tidemark.TidemarkException;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem;
import io.tidemark.checkpoint.storage.CheckpointSnapshotReader;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.Restart;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCoordinatorTest {
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path tmp;

    Path root;
    FaultInjectingFileSystem fs;
    CheckpointStorage storage;
    long now = 1_000 * SECOND;
    final Map<Long, SnapshotStorage> triggered = new ConcurrentHashMap<>();
    final List<CheckpointOutcome> outcomes = new CopyOnWriteArrayList<>();
    final List<TidemarkException> fatal = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        root = tmp.resolve("root");
        fs = new FaultInjectingFileSystem(root, tmp.resolve("scratch"));
        storage = Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
    }

    CheckpointCoordinator coordinator(int tasks, Duration minPause, int maxConcurrent, int tolerable) {
        CheckpointCoordinator c = new CheckpointCoordinator(
                new CheckpointCoordinatorConfig(
                        Duration.ofSeconds(10), minPause, Duration.ofSeconds(60), maxConcurrent, tolerable),
                storage,
                tasks,
                triggered::put,
                () -> now,
                fatal::add);
        c.addListener(outcomes::add);
        return c;
    }

    /** What task {@code task} does for checkpoint {@code id}: one stream, then acknowledge. */
    static TaskSnapshot snapshot(SnapshotStorage storage, long id, int task) {
        SnapshotOutput out = storage.createOutput("task-" + task, KeyGroupRange.of(task, task), false);
        byte[] data = ("state of task " + task + " at " + id).getBytes(StandardCharsets.UTF_8);
        try {
            out.write(data, 0, data.length);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StreamHandle h = out.closeAndGetHandle();
        return new TaskSnapshot(task, ("handle-" + task).getBytes(StandardCharsets.UTF_8), List.of(h));
    }

    @Test
    void triggersOnIntervalWithIncreasingIdsAndRespectsMaxConcurrent() {
        CheckpointCoordinator c = coordinator(1, Duration.ZERO, 2, 3);
        c.poll();
        assertThat(triggered).containsOnlyKeys(1L);
        c.poll();
        assertThat(triggered).as("interval not yet passed").hasSize(1);
        now += 10 * SECOND;
        c.poll();
        now += 10 * SECOND;
        c.poll();
        assertThat(triggered).as("max concurrent 2").containsOnlyKeys(1L, 2L);
        assertThat(c.acknowledge(1, snapshot(triggered.get(1L), 1, 0))).isTrue();
        c.poll();
        assertThat(triggered).containsOnlyKeys(1L, 2L, 3L);
        assertThat(c.inFlightCount()).isEqualTo(2);
    }

    @Test
    void minPauseCountsFromTheEndOfTheLastCheckpoint() {
        CheckpointCoordinator c = coordinator(1, Duration.ofSeconds(30), 1, 3);
        c.poll();
        now += 25 * SECOND;
        c.acknowledge(1, snapshot(triggered.get(1L), 1, 0));
        now += 10 * SECOND; // interval passed, pause not
        c.poll();
        assertThat(triggered).hasSize(1);
        now += 20 * SECOND;
        c.poll();
        assertThat(triggered).containsOnlyKeys(1L, 2L);
    }

    @Test
    void completesWhenAllTasksAckedAndNotifiesOnlyAfterCommit() throws Exception {
        CheckpointCoordinator c = coordinator(3, Duration.ZERO, 1, 3);
        c.addListener(o -> assertThat(root.resolve("chk-" + o.checkpointId() + "/_metadata"))
                .exists());
        c.poll();
        SnapshotStorage s = triggered.get(1L);
        assertThat(c.acknowledge(1, snapshot(s, 1, 2))).isTrue();
        assertThat(c.acknowledge(1, snapshot(s, 1, 0))).isTrue();
        assertThat(outcomes).isEmpty();
        assertThatThrownBy(() -> c.acknowledge(1, snapshot(s, 1, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.acknowledge(1, snapshot(s, 1, 1))).isTrue();
        assertThat(fatal).isEmpty();

        assertThat(outcomes).singleElement().isInstanceOf(CheckpointOutcome.Completed.class);
        CompletedCheckpoint cp = ((CheckpointOutcome.Completed) outcomes.get(0)).checkpoint();
        List<TaskSnapshot> tasks = CheckpointPayload.decode(cp.metadata().payload(), "test");
        assertThat(tasks).extracting(TaskSnapshot::taskIndex).containsExactly(0, 1, 2);
        try (InputStream in =
                new CheckpointSnapshotReader(fs, cp).open(tasks.get(2).streams().get(0))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("state of task 2 at 1");
        }
        assertThat(c.lastCompletedCheckpointId()).isEqualTo(1);
        assertThat(Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY)
                        .latest()
                        .checkpointId())
                .isEqualTo(1);
    }

    @Test
    void declineAbortsAndTimeoutExpiresAndLateAcksAreIgnored() {
        CheckpointCoordinator c = coordinator(2, Duration.ZERO, 1, 5);
        c.poll();
        c.acknowledge(1, snapshot(triggered.get(1L), 1, 0));
        assertThat(c.decline(1, 1, new RuntimeException("boom"))).isTrue();
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(CheckpointOutcome.Aborted.class, a -> assertThat(
                        a.reason())
                .contains("task 1 declined"));
        assertThat(root.resolve("chk-1")).doesNotExist();

        now += 10 * SECOND;
        c.poll();
        SnapshotStorage s2 = triggered.get(2L);
        TaskSnapshot late = snapshot(s2, 2, 0);
        now += 61 * SECOND;
        c.poll();
        assertThat(outcomes.get(1)).isEqualTo(new CheckpointOutcome.Expired(2, Duration.ofSeconds(60)));
        assertThat(root.resolve("chk-2")).doesNotExist();
        assertThat(c.acknowledge(2, late)).isFalse();
        assertThat(c.decline(2, 0, new RuntimeException())).isFalse();
        assertThat(c.consecutiveFailures()).isEqualTo(2);
        assertThat(triggered).as("a new checkpoint after the expired one").containsKey(3L);
    }

    @Test
    void diskFullAbortsThatCheckpointAndTheNextOneCompletes() {
        CheckpointCoordinator c = coordinator(1, Duration.ZERO, 1, 3);
        c.poll();
        c.acknowledge(1, snapshot(triggered.get(1L), 1, 0));
        now += 10 * SECOND;
        c.poll();
        TaskSnapshot s = snapshot(triggered.get(2L), 2, 0);
        fs.setQuotaBytes(fs.usedBytes() + 10);
        c.acknowledge(2, s);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(CheckpointOutcome.Aborted.class, a -> assertThat(a.cause())
                .isInstanceOf(StorageSpaceException.class));
        assertThat(root.resolve("chk-2")).doesNotExist();
        assertThat(storage.latest().checkpointId()).isEqualTo(1);
        fs.clearFaults();
        now += 10 * SECOND;
        c.poll();
        c.acknowledge(3, snapshot(triggered.get(3L), 3, 0));
        assertThat(outcomes.get(2)).isInstanceOf(CheckpointOutcome.Completed.class);
        assertThat(c.consecutiveFailures()).isZero();
    }

    @Test
    void toleratesConfiguredConsecutiveFailuresThenStops() {
        CheckpointCoordinator c = coordinator(1, Duration.ZERO, 1, 2);
        for (long id = 1; id <= 2; id++) {
            c.poll();
            c.decline(id, 0, new RuntimeException("f" + id));
            now += 10 * SECOND;
        }
        assertThat(fatal).isEmpty();
        c.poll();
        c.acknowledge(3, snapshot(triggered.get(3L), 3, 0)); // success resets the count
        for (long id = 4; id <= 6; id++) {
            now += 10 * SECOND;
            c.poll();
            c.decline(id, 0, new RuntimeException("f" + id));
        }
        assertThat(fatal).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("too many consecutive checkpoint failures: failures=3, tolerable=2"));
        assertThat(c.isStopped()).isTrue();
        now += 10 * SECOND;
        c.poll();
        assertThat(triggered).doesNotContainKey(7L);
    }

    /** Records what the coordinator tells the tasks. */
    static final class RecordingGateway implements TaskGateway {
        final Map<Long, SnapshotStorage> triggered = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void triggerCheckpoint(long checkpointId, SnapshotStorage storage) {
            triggered.put(checkpointId, storage);
            calls.add("trigger " + checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            calls.add("complete " + checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) {
            calls.add("aborted " + checkpointId);
        }

        @Override
        public void endInput() {
            calls.add("endInput");
        }
    }

    CheckpointCoordinator coordinator(int tasks, TaskGateway gateway) {
        CheckpointCoordinator c = new CheckpointCoordinator(
                new CheckpointCoordinatorConfig(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(60), 1, 3),
                storage,
                tasks,
                gateway,
                () -> now,
                fatal::add);
        c.addListener(outcomes::add);
        return c;
    }

    @Test
    void savepointWaitsForTheCheckpointInFlightIsCanonicalAndNotifiesNoTask() throws Exception {
        RecordingGateway gateway = new RecordingGateway();
        CheckpointCoordinator c = coordinator(1, gateway);
        c.poll();
        var savepoint = c.triggerSavepoint(root.resolve("savepoints"), false);
        c.poll();
        assertThat(gateway.triggered).as("one at a time").containsOnlyKeys(1L);
        c.acknowledge(1, snapshot(gateway.triggered.get(1L), 1, 0));
        c.poll(); // the savepoint goes before the next periodic checkpoint, without waiting for the interval
        assertThat(gateway.triggered).containsOnlyKeys(1L, 2L);
        assertThat(c.kindFor(2)).isEqualTo(io.tidemark.backend.snapshot.SnapshotKind.CANONICAL);
        assertThat(c.kindFor(1)).as("no longer in flight").isNull();
        c.acknowledge(2, snapshot(c.storageFor(2), 2, 0));
        CompletedCheckpoint done = savepoint.get(10, TimeUnit.SECONDS);
        assertThat(done.metadata().savepoint()).isTrue();
        assertThat(done.directory()).isEqualTo(root.resolve("savepoints").resolve("savepoint-2"));
        assertThat(gateway.calls).containsExactly("trigger 1", "complete 1", "trigger 2");
        assertThat(outcomes).as("savepoints report no checkpoint outcome").hasSize(1);
        assertThat(storage.retained()).as("never under retention").hasSize(1);
        now += 10 * SECOND;
        c.poll();
        assertThat(gateway.triggered).as("checkpoints go on after a savepoint").containsKey(3L);
    }

    @Test
    void terminatingSavepointEndsCheckpointing() throws Exception {
        RecordingGateway gateway = new RecordingGateway();
        CheckpointCoordinator c = coordinator(1, gateway);
        var savepoint = c.triggerSavepoint(root.resolve("savepoints"), true);
        c.poll();
        c.acknowledge(1, snapshot(gateway.triggered.get(1L), 1, 0));
        assertThat(savepoint.get(10, TimeUnit.SECONDS).checkpointId()).isEqualTo(1);
        now += 60 * SECOND;
        c.poll();
        assertThat(gateway.triggered)
                .as("no checkpoint after stop-with-savepoint")
                .containsOnlyKeys(1L);
        assertThatThrownBy(() ->
                        c.triggerSavepoint(root.resolve("savepoints"), false).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("not running");
    }

    @Test
    void finalCheckpointOfBoundedInputStartsAtOnceThenEndsTheInput() {
        RecordingGateway gateway = new RecordingGateway();
        CheckpointCoordinator c = coordinator(2, gateway);
        c.poll();
        c.inputFinished();
        c.poll();
        assertThat(gateway.triggered).as("waits for the one in flight").containsOnlyKeys(1L);
        c.acknowledge(1, snapshot(gateway.triggered.get(1L), 1, 0));
        c.acknowledge(1, snapshot(gateway.triggered.get(1L), 1, 1));
        c.poll(); // interval not passed: the final checkpoint does not wait for it
        assertThat(gateway.triggered).containsOnlyKeys(1L, 2L);
        c.decline(2, 0, new IllegalStateException("disk hiccup"));
        c.poll();
        assertThat(gateway.triggered).as("a failed final checkpoint is retried").containsOnlyKeys(1L, 2L, 3L);
        c.acknowledge(3, snapshot(gateway.triggered.get(3L), 3, 0));
        c.acknowledge(3, snapshot(gateway.triggered.get(3L), 3, 1));
        now += 60 * SECOND;
        c.poll();
        assertThat(gateway.calls)
                .containsExactly(
                        "trigger 1", "complete 1", "trigger 2", "aborted 2", "trigger 3", "complete 3", "endInput");
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() ->
                        new CheckpointCoordinatorConfig(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 1, 0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> new CheckpointCoordinatorConfig(
                        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), 0, 0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxConcurrent=0");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void concurrentAcksFromTaskThreads() throws Exception {
        int tasks = 4;
        CheckpointCoordinator c = coordinator(tasks, Duration.ZERO, 3, 0);
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        try {
            for (long id = 1; id <= 6; id++) {
                c.poll();
                now += 10 * SECOND;
                SnapshotStorage s = triggered.get(id);
                CountDownLatch done = new CountDownLatch(tasks);
                List<Exception> errors = new CopyOnWriteArrayList<>();
                for (int t = 0; t < tasks; t++) {
                    int task = t;
                    long checkpoint = id;
                    pool.execute(() -> {
                        try {
                            c.acknowledge(checkpoint, snapshot(s, checkpoint, task));
                        } catch (RuntimeException e) {
                            errors.add(e);
                        } finally {
                            done.countDown();
                        }
                    });
                }
                assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(errors).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> completed = new ArrayList<>();
        for (CheckpointOutcome o : outcomes) {
            assertThat(o).isInstanceOf(CheckpointOutcome.Completed.class);
            completed.add(o.checkpointId());
        }
        assertThat(completed).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(storage.retained())
                .extracting(CompletedCheckpoint::checkpointId)
                .containsExactly(4L, 5L, 6L);
        assertThat(Files.exists(root.resolve("chk-3"))).isFalse();
    }

    @Test
    void payloadDecodingRefusesBadBytes() {
        byte[] good = CheckpointPayload.encode(List.of(new TaskSnapshot(0, new byte[] {1}, List.of())));
        assertThat(CheckpointPayload.decode(good, "m")).hasSize(1);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] bad = java.util.Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> CheckpointPayload.decode(bad, "m"))
                    .isInstanceOf(io.tidemark.CorruptCheckpointException.class);
        }
    }
}

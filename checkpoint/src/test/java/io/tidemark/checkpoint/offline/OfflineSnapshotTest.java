package io.tidemark.checkpoint.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.job.StateDescription;
import io.tidemark.checkpoint.restore.RestorePlanner;
import io.tidemark.checkpoint.savepoint.Savepoints;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.checkpoint.testing.JobFixture.Backend;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.state.ValueState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline API lists, iterates and rewrites savepoints and (canonical) checkpoints. */
class OfflineSnapshotTest {
    static final int MAX_PARALLELISM = 16;
    static final int KEYS = 80;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    CompletedCheckpoint savepoint(JobFixture job, Path dir) {
        var subtasks = job.create(3);
        job.populate(subtasks, KEYS);
        return Savepoints.write(fs, dir, 1, CompressionConfig.DEFAULT, job.savepointInputs(subtasks));
    }

    @Test
    void listsOperatorsStatesAndKeyGroups() throws Exception {
        try (JobFixture job = new JobFixture(Backend.CHRONICLE, tmp.resolve("work"), MAX_PARALLELISM)) {
            savepoint(job, tmp.resolve("sp"));
            OfflineSnapshot snapshot = OfflineSnapshot.open(tmp.resolve("sp"));
            assertThat(snapshot.operators()).hasSize(1);
            assertThat(snapshot.operator("counter").parallelism()).isEqualTo(3);
            assertThat(snapshot.states("counter"))
                    .extracting(StateDescription::scope, StateDescription::name, StateDescription::type)
                    .contains(
                            org.assertj.core.groups.Tuple.tuple("keyed", "value", "VALUE"),
                            org.assertj.core.groups.Tuple.tuple("keyed", "map", "MAP"),
                            org.assertj.core.groups.Tuple.tuple("operator", "rules", "BROADCAST"));
            assertThat(snapshot.states("counter"))
                    .filteredOn(d -> d.name().equals("value"))
                    .singleElement()
                    .extracting(StateDescription::serializers)
                    .isEqualTo("key=long, namespace=void, value=string");
            var spans = snapshot.keyGroups("counter");
            assertThat(spans).hasSize(MAX_PARALLELISM);
            assertThat(spans).allMatch(s -> s.bytes() >= 8);
            assertThatThrownBy(() -> snapshot.states("other"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("operators=[counter]");
            snapshot.verifyAll();
        }
    }

    @Test
    void iteratesDecodedAndRawEntriesEveryKeyOnce() throws Exception {
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("work"), MAX_PARALLELISM)) {
            savepoint(job, tmp.resolve("sp"));
            OfflineSnapshot snapshot = OfflineSnapshot.open(tmp.resolve("sp"));
            Map<Object, Object> values = new HashMap<>();
            snapshot.forEach("counter", "value", (group, key, ns, value) -> {
                assertThat(KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM))
                        .isEqualTo(group);
                assertThat(values.put(key, value)).isNull();
            });
            assertThat(values).hasSize(KEYS);
            for (long k = 0; k < KEYS; k++) {
                assertThat(values.get(k)).isEqualTo(JobFixture.valueOf(k));
            }
            Map<Object, Object> lists = new HashMap<>();
            snapshot.forEach("counter", "list", (group, key, ns, value) -> lists.put(key, value));
            assertThat(lists.get(7L)).isEqualTo(JobFixture.listOf(7));
            int[] raw = {0};
            snapshot.forEachRaw("counter", "map", (group, key, ns, value) -> raw[0]++);
            assertThat(raw[0]).isEqualTo(KEYS);
            assertThat(snapshot.operatorStates("counter")).hasSize(3);
        }
    }

    @Test
    void writesTransformedSavepointThatRestores() throws Exception {
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("work"), MAX_PARALLELISM)) {
            savepoint(job, tmp.resolve("sp"));
            OfflineSnapshot source = OfflineSnapshot.open(tmp.resolve("sp"));
            SavepointTransform.of(source)
                    .dropKeyedState("counter", "list")
                    .dropOperatorState("counter", "rules")
                    .mapValues("counter", "value", v -> ((String) v).toUpperCase())
                    .write(fs, tmp.resolve("sp2"), 2, CompressionConfig.DEFAULT);
            OfflineSnapshot result = OfflineSnapshot.open(tmp.resolve("sp2"));
            assertThat(result.states("counter"))
                    .extracting(StateDescription::name)
                    .containsExactly("value", "map", "split", "source-offsets");
            var plan = RestorePlanner.plan(fs, result.checkpoint(), "counter", 2, MAX_PARALLELISM);
            var subtasks = job.create(2);
            for (var s : subtasks) {
                plan.task(s.index()).restore(s.keyed(), s.operator(), plan.reader());
            }
            for (long k = 0; k < KEYS; k++) {
                int group = KeyGroupAssignment.assignToKeyGroup(k, MAX_PARALLELISM);
                var s = subtasks.get(KeyGroupAssignment.computeOperatorIndexForKeyGroup(MAX_PARALLELISM, 2, group));
                s.keyed().setCurrentKey(k);
                ValueState<String> value = s.keyed().getOrCreateKeyedState(JobFixture.VALUE);
                assertThat(value.value()).isEqualTo(JobFixture.valueOf(k).toUpperCase());
            }
            assertThat(subtasks.get(0).keyed().stateNames()).doesNotContain("list");
            List<byte[]> raw = new ArrayList<>();
            SavepointTransform.of(result)
                    .mapRawValues("counter", "value", v -> {
                        raw.add(v);
                        return v;
                    })
                    .write(fs, tmp.resolve("sp3"), 3, CompressionConfig.DEFAULT);
            assertThat(raw).hasSize(KEYS);
            assertThat(new String(raw.get(0), StandardCharsets.UTF_8)).contains("VALUE-");
        }
    }

    @Test
    void heapCheckpointsAreCanonicalAndInspectable() throws Exception {
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("work"), MAX_PARALLELISM);
                CheckpointStorage storage = CheckpointStorage.open(
                        CheckpointStorageConfig.of(tmp.resolve("root")), fs, RestorePolicy.LATEST_ONLY)) {
            var subtasks = job.create(2);
            job.populate(subtasks, KEYS);
            CompletedCheckpoint cp = job.checkpoint(storage, 5, SnapshotKind.FULL, subtasks);
            String report = CheckpointInspector.describe(cp.directory());
            assertThat(report)
                    .startsWith("checkpoint 5 at ")
                    .contains("operator counter: parallelism=2, maxParallelism=16")
                    .contains("keyed canonical [0..7]")
                    .contains("operator source-offsets: UNION (element=string)");
        }
    }

    /** P11: offline reading (listing, verifying, iterating, inspecting) leaves every file of the snapshot as it was. */
    @Test
    void readingLeavesTheSnapshotUnchanged() throws Exception {
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("work"), MAX_PARALLELISM)) {
            Path dir = tmp.resolve("sp");
            savepoint(job, dir);
            Map<String, byte[]> before = contents(dir);
            OfflineSnapshot snapshot = OfflineSnapshot.open(dir);
            snapshot.verifyAll();
            snapshot.states("counter");
            snapshot.keyGroups("counter");
            snapshot.operatorStates("counter");
            List<Object> seen = new ArrayList<>();
            snapshot.forEach("counter", "value", (group, key, ns, value) -> seen.add(key));
            snapshot.forEachRaw("counter", "map", (group, key, ns, value) -> seen.add(group));
            CheckpointInspector.describe(dir);
            assertThat(seen).hasSizeGreaterThan(KEYS);
            Map<String, byte[]> after = contents(dir);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            before.forEach((file, bytes) -> assertThat(after.get(file)).as(file).isEqualTo(bytes));
        }
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void nativeFormatsAreListedButNotIterated() throws Exception {
        try (JobFixture job = new JobFixture(Backend.CHRONICLE, tmp.resolve("work"), MAX_PARALLELISM);
                CheckpointStorage storage = CheckpointStorage.open(
                        CheckpointStorageConfig.of(tmp.resolve("root")), fs, RestorePolicy.LATEST_ONLY)) {
            var subtasks = job.create(2);
            job.populate(subtasks, KEYS);
            CompletedCheckpoint cp = job.checkpoint(storage, 1, SnapshotKind.FULL, subtasks);
            OfflineSnapshot snapshot = OfflineSnapshot.open(cp.directory());
            String format = snapshot.operator("counter")
                    .subtasks()
                    .get(0)
                    .keyedHandles()
                    .get(0)
                    .format();
            if (!format.equals("canonical")) {
                assertThat(snapshot.states("counter"))
                        .extracting(StateDescription::name)
                        .contains("value");
                assertThatThrownBy(() -> snapshot.forEachRaw("counter", "value", (g, k, n, v) -> {}))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("take a savepoint");
            }
            assertThat(CheckpointInspector.describe(cp.directory())).contains("keyed " + format);
        }
    }
}

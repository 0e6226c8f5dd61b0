package io.tidemark.checkpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.canonical.CanonicalSnapshotReader;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.offline.StateListings;
import io.tidemark.checkpoint.restore.RestorePlan;
import io.tidemark.checkpoint.restore.RestorePlanner;
import io.tidemark.checkpoint.savepoint.Savepoints;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.FileSnapshotStorage;
import io.tidemark.checkpoint.storage.PendingCheckpoint;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import io.tidemark.state.chronicle.ChronicleBackendConfig;
import io.tidemark.state.chronicle.ChronicleStateBackend;
import io.tidemark.state.offheap.OffHeapBackendContext;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A one-operator job on real backends with an oracle: keyed value, list and map state for keys {@code 0..keys-1}, and
 * operator state of every redistribution mode (split list, union list of source offsets, broadcast map). Writes job
 * checkpoints and savepoints, restores them through {@link RestorePlanner} and checks the result against the oracle.
 */
public final class JobFixture implements AutoCloseable {
    public static final String OPERATOR = "counter";
    public static final ValueStateDescriptor<String> VALUE =
            new ValueStateDescriptor<>("value", StringSerializer.INSTANCE);
    public static final ListStateDescriptor<Long> LIST = new ListStateDescriptor<>("list", LongSerializer.INSTANCE);
    public static final MapStateDescriptor<String, Long> MAP =
            new MapStateDescriptor<>("map", StringSerializer.INSTANCE, LongSerializer.INSTANCE);
    public static final ListStateDescriptor<Long> SPLIT = new ListStateDescriptor<>("split", LongSerializer.INSTANCE);
    public static final ListStateDescriptor<String> SOURCE_OFFSETS =
            new ListStateDescriptor<>("source-offsets", StringSerializer.INSTANCE);
    public static final MapStateDescriptor<String, Long> RULES =
            new MapStateDescriptor<>("rules", StringSerializer.INSTANCE, LongSerializer.INSTANCE);
    public static final int SPLIT_PER_SUBTASK = 3;

    /** The backends under test, each with small test-sized files. */
    public enum Backend {
        HEAP,
        CHRONICLE,
        OFFHEAP;

        StateBackend create() {
            return switch (this) {
                case HEAP -> new HeapStateBackend();
                case CHRONICLE ->
                    new ChronicleStateBackend(ChronicleBackendConfig.defaults().withExpectedEntries(2_000));
                case OFFHEAP ->
                    new OffHeapStateBackend(new OffHeapBackendContext()
                            .pageSize(4096)
                            .segmentSize(1 << 20)
                            .residentBudget(64L << 20));
            };
        }
    }

    /** One subtask's backends. */
    public record Subtask(int index, int parallelism, KeyedStateBackend<Long> keyed, OperatorStateBackend operator) {}

    private final Backend backend;
    private final StateBackend factory;
    private final Path workDir;
    private final int maxParallelism;
    private final List<Subtask> opened = new ArrayList<>();
    private final AtomicInteger generation = new AtomicInteger();

    public JobFixture(Backend backend, Path workDir, int maxParallelism) {
        this.backend = backend;
        this.factory = backend.create();
        this.workDir = workDir;
        this.maxParallelism = maxParallelism;
    }

    public Backend backend() {
        return backend;
    }

    public int maxParallelism() {
        return maxParallelism;
    }

    /** Empty backends for every subtask at {@code parallelism}. */
    public List<Subtask> create(int parallelism) {
        int gen = generation.incrementAndGet();
        List<Subtask> subtasks = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            KeyGroupRange range =
                    KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, i);
            KeyedStateBackend<Long> keyed = factory.createKeyedStateBackend(new KeyedBackendParameters<>(
                    OPERATOR,
                    LongSerializer.INSTANCE,
                    maxParallelism,
                    range,
                    TtlClock.SYSTEM,
                    backend == Backend.HEAP ? null : workDir.resolve("g" + gen + "-" + i)));
            Subtask s = new Subtask(i, parallelism, keyed, factory.createOperatorStateBackend(OPERATOR));
            subtasks.add(s);
            opened.add(s);
        }
        return subtasks;
    }

    // ------------------------------------------------------------------ oracle

    public static String valueOf(long key) {
        return "value-" + key;
    }

    public static List<Long> listOf(long key) {
        return List.of(key, key * 2, -key);
    }

    public static Map<String, Long> mapOf(long key) {
        return Map.of("a", key, "b", key + 1);
    }

    public static Map<String, Long> rules() {
        return Map.of("r1", 1L, "r2", 2L);
    }

    /** Keyed state for keys {@code 0..keys-1}, each written on the subtask owning its key group; operator state. */
    public void populate(List<Subtask> subtasks, int keys) {
        int parallelism = subtasks.size();
        for (long key = 0; key < keys; key++) {
            int group = KeyGroupAssignment.assignToKeyGroup(key, maxParallelism);
            Subtask s = subtasks.get(
                    KeyGroupAssignment.computeOperatorIndexForKeyGroup(maxParallelism, parallelism, group));
            s.keyed().setCurrentKey(key);
            s.keyed().getOrCreateKeyedState(VALUE).update(valueOf(key));
            s.keyed().getOrCreateKeyedState(LIST).update(listOf(key));
            s.keyed().getOrCreateKeyedState(MAP).putAll(mapOf(key));
        }
        for (Subtask s : subtasks) {
            List<Long> split = new ArrayList<>();
            for (int j = 0; j < SPLIT_PER_SUBTASK; j++) {
                split.add(s.index() * 100L + j);
            }
            s.operator().getListState(SPLIT).update(split);
            s.operator().getUnionListState(SOURCE_OFFSETS).update(List.of("partition-" + s.index() + "@" + 1000));
            s.operator().getBroadcastState(RULES).putAll(rules());
        }
    }

    // ------------------------------------------------------------------ writing

    /** The subtask states of a snapshot of {@code kind}, written through {@code storage}. */
    public List<SubtaskState> snapshot(long id, SnapshotKind kind, FileSnapshotStorage storage, List<Subtask> subtasks)
            throws Exception {
        List<SubtaskState> states = new ArrayList<>();
        for (Subtask s : subtasks) {
            KeyedStateHandle keyed = s.keyed().snapshot(id, kind, storage).call();
            OperatorStateHandle operator = s.operator().snapshot(id, storage).call();
            var listing = new ArrayList<>(
                    StateListings.keyed(List.of(keyed), s.keyed().stateNames(), storage.reader()));
            listing.addAll(StateListings.operator(List.of(operator), storage.reader()));
            states.add(new SubtaskState(
                    OPERATOR, s.index(), s.parallelism(), maxParallelism, List.of(keyed), List.of(operator), listing));
        }
        return states;
    }

    /** A job checkpoint through {@link CheckpointStorage}, as the coordinator would commit it. */
    public CompletedCheckpoint checkpoint(CheckpointStorage storage, long id, SnapshotKind kind, List<Subtask> subtasks)
            throws Exception {
        PendingCheckpoint pending = storage.begin(id);
        FileSnapshotStorage files = FileSnapshotStorage.of(pending);
        List<SubtaskState> states = snapshot(id, kind, files, subtasks);
        for (SubtaskState s : states) {
            files.referenceStreams(s.streams());
        }
        return pending.commit(JobSnapshot.of(id, false, states).toPayload());
    }

    public List<Savepoints.SubtaskBackends> savepointInputs(List<Subtask> subtasks) {
        List<Savepoints.SubtaskBackends> inputs = new ArrayList<>();
        for (Subtask s : subtasks) {
            inputs.add(new Savepoints.SubtaskBackends(
                    OPERATOR, s.index(), s.parallelism(), maxParallelism, s.keyed(), s.operator()));
        }
        return inputs;
    }

    // ------------------------------------------------------------------ restoring and checking

    /** Plans and restores every subtask at {@code parallelism} on fresh backends. */
    public List<Subtask> restore(CheckpointFileSystem fs, CompletedCheckpoint checkpoint, int parallelism) {
        RestorePlan plan = RestorePlanner.plan(fs, checkpoint, OPERATOR, parallelism, maxParallelism);
        List<Subtask> subtasks = create(parallelism);
        for (Subtask s : subtasks) {
            plan.task(s.index()).restore(s.keyed(), s.operator(), plan.reader());
        }
        return subtasks;
    }

    /**
     * Every key {@code 0..keys-1} has its oracle values on the subtask owning it, and, per state, every key is held by
     * exactly one subtask (read back from a canonical dump of every restored backend).
     */
    public void assertKeyedState(List<Subtask> subtasks, int keys) throws Exception {
        Map<String, Map<Long, Integer>> seen = new TreeMap<>();
        for (Subtask s : subtasks) {
            for (Map.Entry<String, List<Long>> e : dump(s.keyed()).entrySet()) {
                for (Long key : e.getValue()) {
                    seen.computeIfAbsent(e.getKey(), k -> new HashMap<>()).merge(key, 1, Integer::sum);
                }
            }
        }
        Map<Long, Integer> once = new HashMap<>();
        for (long key = 0; key < keys; key++) {
            once.put(key, 1);
        }
        assertThat(seen.keySet()).containsExactly("list", "map", "value");
        for (Map.Entry<String, Map<Long, Integer>> e : seen.entrySet()) {
            assertThat(e.getValue())
                    .as("keys of state %s, each exactly once", e.getKey())
                    .isEqualTo(once);
        }
        int parallelism = subtasks.size();
        for (long key = 0; key < keys; key++) {
            int group = KeyGroupAssignment.assignToKeyGroup(key, maxParallelism);
            Subtask s = subtasks.get(
                    KeyGroupAssignment.computeOperatorIndexForKeyGroup(maxParallelism, parallelism, group));
            s.keyed().setCurrentKey(key);
            ValueState<String> value = s.keyed().getOrCreateKeyedState(VALUE);
            ListState<Long> list = s.keyed().getOrCreateKeyedState(LIST);
            MapState<String, Long> map = s.keyed().getOrCreateKeyedState(MAP);
            assertThat(value.value()).as("value of key %d", key).isEqualTo(valueOf(key));
            List<Long> elements = new ArrayList<>();
            list.get().forEach(elements::add);
            assertThat(elements).as("list of key %d", key).isEqualTo(listOf(key));
            Map<String, Long> entries = new HashMap<>();
            map.entries().forEach(en -> entries.put(en.getKey(), en.getValue()));
            assertThat(entries).as("map of key %d", key).isEqualTo(mapOf(key));
        }
    }

    /** State name to the keys it holds, from a canonical snapshot of {@code keyed}. */
    public static Map<String, List<Long>> dump(KeyedStateBackend<Long> keyed) throws Exception {
        InMemorySnapshotStorage memory = new InMemorySnapshotStorage();
        KeyedStateHandle handle =
                keyed.snapshot(Long.MAX_VALUE, SnapshotKind.CANONICAL, memory).call();
        CanonicalSnapshotReader.Header header =
                CanonicalSnapshotReader.readHeader(handle, memory, JobFixture.class.getClassLoader());
        Map<String, List<Long>> keys = new LinkedHashMap<>();
        for (var state : header.states()) {
            keys.put(state.name(), new ArrayList<>());
        }
        CanonicalSnapshotReader.readKeyGroups(
                handle, memory, handle.keyGroupRange(), header.states().size(), (index, group, key, ns, value) -> {
                    long k = LongSerializer.INSTANCE.read(new UnsafeBuffer(key), 0, key.length);
                    assertThat(KeyGroupAssignment.assignToKeyGroup(k, header.maxParallelism()))
                            .isEqualTo(group);
                    keys.get(header.states().get(index).name()).add(k);
                });
        return keys;
    }

    /**
     * Operator state after restoring a snapshot taken at {@code oldParallelism}: the split list is the concatenation
     * of the old subtasks' lists cut into contiguous parts differing by at most one; the union list (source offsets)
     * and broadcast map are whole on every subtask.
     */
    public static void assertOperatorState(List<Subtask> subtasks, int oldParallelism) {
        List<Long> all = new ArrayList<>();
        List<String> offsets = new ArrayList<>();
        for (int i = 0; i < oldParallelism; i++) {
            for (int j = 0; j < SPLIT_PER_SUBTASK; j++) {
                all.add(i * 100L + j);
            }
            offsets.add("partition-" + i + "@" + 1000);
        }
        List<Long> concatenated = new ArrayList<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Subtask s : subtasks) {
            List<Long> part = new ArrayList<>();
            Iterable<Long> split = s.operator().getListState(SPLIT).get();
            if (split != null) {
                split.forEach(part::add);
            }
            concatenated.addAll(part);
            min = Math.min(min, part.size());
            max = Math.max(max, part.size());
            List<String> union = new ArrayList<>();
            s.operator().getUnionListState(SOURCE_OFFSETS).get().forEach(union::add);
            assertThat(union).as("source offsets on subtask %d", s.index()).isEqualTo(offsets);
            Map<String, Long> rules = new HashMap<>();
            s.operator().getBroadcastState(RULES).entries().forEach(e -> rules.put(e.getKey(), e.getValue()));
            assertThat(rules).as("broadcast rules on subtask %d", s.index()).isEqualTo(rules());
        }
        assertThat(concatenated).as("split list, concatenated in subtask order").isEqualTo(all);
        assertThat(max - min).as("split sizes " + Arrays.asList(min, max)).isLessThanOrEqualTo(1);
    }

    /**
     * What a source does after a restore: from the union of all offsets it keeps only the partitions it now owns
     * (partition k belongs to subtask k mod parallelism), so the next snapshot holds every offset once.
     */
    public static void keepOwnSourceOffsets(List<Subtask> subtasks) {
        for (Subtask s : subtasks) {
            ListState<String> offsets = s.operator().getUnionListState(SOURCE_OFFSETS);
            List<String> own = new ArrayList<>();
            for (String offset : offsets.get()) {
                int partition = Integer.parseInt(offset.substring("partition-".length(), offset.indexOf('@')));
                if (partition % subtasks.size() == s.index()) {
                    own.add(offset);
                }
            }
            offsets.update(own);
        }
    }

    @Override
    public void close() {
        for (Subtask s : opened) {
            s.keyed().close();
            s.operator().close();
        }
        opened.clear();
    }
}

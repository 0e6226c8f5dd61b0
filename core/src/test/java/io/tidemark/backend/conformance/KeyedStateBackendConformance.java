package io.tidemark.backend.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.IncompatibleStateException;
import io.tidemark.StateAccessException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.MergingState;
import io.tidemark.backend.NamespacedState;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.conformance.ConformanceTypes.AccountKeyV1;
import io.tidemark.backend.conformance.ConformanceTypes.AccountKeyV2;
import io.tidemark.backend.conformance.ConformanceTypes.Average;
import io.tidemark.backend.conformance.ConformanceTypes.IdentityKey;
import io.tidemark.backend.conformance.ConformanceTypes.IdentityKeySerializer;
import io.tidemark.backend.conformance.ConformanceTypes.MutableSum;
import io.tidemark.backend.conformance.ConformanceTypes.PositionV1;
import io.tidemark.backend.conformance.ConformanceTypes.PositionV2;
import io.tidemark.backend.conformance.ConformanceTypes.PositionV3;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.BooleanSerializer;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.EnumSerializer;
import io.tidemark.serialization.ListSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.AggregatingState;
import io.tidemark.state.AggregatingStateDescriptor;
import io.tidemark.state.DoubleValueState;
import io.tidemark.state.DoubleValueStateDescriptor;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ReducingState;
import io.tidemark.state.ReducingStateDescriptor;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every keyed state backend must have. A backend module extends this class and says how to create its
 * {@link StateBackend}; nothing else. Each test builds backends through {@link #createBackend}, snapshots into an
 * {@link InMemorySnapshotStorage}, and restores into fresh backends, possibly with other key-group ranges.
 */
public abstract class KeyedStateBackendConformance {
    protected static final int MAX_PARALLELISM = 128;

    @TempDir
    protected Path workingDirectory;

    private final List<KeyedStateBackend<?>> opened = new ArrayList<>();
    private int backendCounter;
    protected final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
    protected final ManualClock clock = new ManualClock(1_000_000L);

    /** The backend under test. */
    protected abstract StateBackend stateBackend();

    protected <K> KeyedStateBackend<K> createBackend(StateSerializer<K> keySerializer, KeyGroupRange range) {
        return createBackend(keySerializer, range, MAX_PARALLELISM);
    }

    protected <K> KeyedStateBackend<K> createBackend(
            StateSerializer<K> keySerializer, KeyGroupRange range, int maxParallelism) {
        KeyedBackendParameters<K> parameters = new KeyedBackendParameters<>(
                "op",
                keySerializer,
                maxParallelism,
                range,
                clock,
                workingDirectory.resolve("backend-" + (backendCounter++)));
        KeyedStateBackend<K> backend = stateBackend().createKeyedStateBackend(parameters);
        opened.add(backend);
        return backend;
    }

    protected KeyedStateBackend<Long> longKeyed() {
        return createBackend(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM));
    }

    @AfterEach
    void closeBackends() {
        for (KeyedStateBackend<?> backend : opened) {
            backend.close();
        }
    }

    protected static <K> KeyedStateHandle snapshotNow(
            KeyedStateBackend<K> backend, long id, SnapshotKind kind, InMemorySnapshotStorage storage)
            throws Exception {
        return backend.snapshot(id, kind, storage).call();
    }

    protected <K> KeyedStateBackend<K> restored(
            StateSerializer<K> keySerializer, KeyGroupRange range, List<KeyedStateHandle> handles) {
        KeyedStateBackend<K> backend = createBackend(keySerializer, range);
        backend.restore(handles, storage.reader());
        return backend;
    }

    // ---------------------------------------------------------------- state types

    @Test
    void valueStateIsScopedByKeyAndHasDefault() {
        KeyedStateBackend<Long> backend = longKeyed();
        ValueState<String> state =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("v", StringSerializer.INSTANCE, "none"));
        backend.setCurrentKey(1L);
        assertThat(state.value()).isEqualTo("none");
        state.update("one");
        backend.setCurrentKey(2L);
        assertThat(state.value()).isEqualTo("none");
        state.update("two");
        backend.setCurrentKey(1L);
        assertThat(state.value()).isEqualTo("one");
        state.update(null);
        assertThat(state.value()).isEqualTo("none");
        backend.setCurrentKey(2L);
        state.clear();
        assertThat(state.value()).isEqualTo("none");
    }

    @Test
    void listStateAddsUpdatesAndClears() {
        KeyedStateBackend<Long> backend = longKeyed();
        ListState<Long> state = backend.getOrCreateKeyedState(new ListStateDescriptor<>("l", LongSerializer.INSTANCE));
        backend.setCurrentKey(7L);
        assertThat(state.get()).isEmpty();
        state.add(1L);
        state.add(2L);
        state.addAll(List.of(3L, 4L));
        assertThat(state.get()).containsExactly(1L, 2L, 3L, 4L);
        state.update(List.of(9L));
        assertThat(state.get()).containsExactly(9L);
        state.update(List.of());
        assertThat(state.get()).isEmpty();
        state.add(5L);
        backend.setCurrentKey(8L);
        assertThat(state.get()).isEmpty();
        backend.setCurrentKey(7L);
        state.clear();
        assertThat(state.get()).isEmpty();
    }

    @Test
    void mapStateSupportsEveryOperation() {
        KeyedStateBackend<Long> backend = longKeyed();
        MapState<String, Long> state = backend.getOrCreateKeyedState(
                new MapStateDescriptor<>("m", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
        backend.setCurrentKey(1L);
        assertThat(state.isEmpty()).isTrue();
        state.put("a", 1L);
        state.putAll(Map.of("b", 2L, "c", 3L));
        assertThat(state.get("a")).isEqualTo(1L);
        assertThat(state.contains("b")).isTrue();
        assertThat(state.contains("z")).isFalse();
        assertThat(state.keys()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(state.values()).containsExactlyInAnyOrder(1L, 2L, 3L);
        Map<String, Long> copy = new HashMap<>();
        state.entries().forEach(e -> copy.put(e.getKey(), e.getValue()));
        assertThat(copy).isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L));
        state.remove("a");
        assertThat(state.get("a")).isNull();
        backend.setCurrentKey(2L);
        assertThat(state.isEmpty()).isTrue();
        backend.setCurrentKey(1L);
        state.clear();
        assertThat(state.isEmpty()).isTrue();
    }

    @Test
    void reducingAndAggregatingStatesCombine() {
        KeyedStateBackend<Long> backend = longKeyed();
        ReducingState<Long> max =
                backend.getOrCreateKeyedState(new ReducingStateDescriptor<>("max", Math::max, LongSerializer.INSTANCE));
        AggregatingState<Long, Double> average = backend.getOrCreateKeyedState(new AggregatingStateDescriptor<>(
                "avg", new Average(), new RecordSerializer<>(ConformanceTypes.Acc.class)));
        AggregatingState<Long, Long> sum = backend.getOrCreateKeyedState(new AggregatingStateDescriptor<>(
                "sum", new MutableSum(), new ListSerializer<>(LongSerializer.INSTANCE)));
        backend.setCurrentKey(3L);
        assertThat(max.get()).isNull();
        assertThat(average.get()).isNull();
        for (long v : new long[] {4, 9, 2}) {
            max.add(v);
            average.add(v);
            sum.add(v);
        }
        assertThat(max.get()).isEqualTo(9L);
        assertThat(average.get()).isEqualTo(5.0);
        assertThat(sum.get()).isEqualTo(15L);
        max.clear();
        assertThat(max.get()).isNull();
    }

    @Test
    void primitiveStatesHaveDefaultsAndAdd() {
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("count", -1));
        DoubleValueState total = backend.getOrCreateKeyedState(new DoubleValueStateDescriptor("total"));
        backend.setCurrentKey(5L);
        assertThat(counter.isPresent()).isFalse();
        assertThat(counter.get()).isEqualTo(-1);
        assertThat(counter.add(3)).isEqualTo(2);
        counter.set(40);
        assertThat(counter.add(2)).isEqualTo(42);
        assertThat(counter.isPresent()).isTrue();
        assertThat(total.add(1.5)).isEqualTo(1.5);
        assertThat(total.add(1.5)).isEqualTo(3.0);
        backend.setCurrentKey(6L);
        assertThat(counter.get()).isEqualTo(-1);
        assertThat(total.get()).isEqualTo(0.0);
        backend.setCurrentKey(5L);
        counter.clear();
        total.clear();
        assertThat(counter.isPresent()).isFalse();
        assertThat(total.isPresent()).isFalse();
    }

    @Test
    void primitiveLongKeysReachTheSameStateAsBoxedKeys() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("count"));
        ValueState<Long> boxed =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("boxed", LongSerializer.INSTANCE));
        MapState<String, Long> map = backend.getOrCreateKeyedState(
                new MapStateDescriptor<>("m", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
        long[] keys = {0L, 1L, -1L, 42L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, 0x9E3779B97F4A7C15L};
        for (long key : keys) {
            backend.setCurrentKey(key);
            assertThat(backend.currentKeyGroup()).isEqualTo(KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM));
            assertThat(backend.currentKey()).isEqualTo(key);
            counter.add(key & 0xFFFF);
            boxed.update(key);
            map.put("k", key);
        }
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.INCREMENTAL, storage);
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        LongValueState restoredCounter = restored.getOrCreateKeyedState(new LongValueStateDescriptor("count"));
        ValueState<Long> restoredBoxed =
                restored.getOrCreateKeyedState(new ValueStateDescriptor<>("boxed", LongSerializer.INSTANCE));
        MapState<String, Long> restoredMap = restored.getOrCreateKeyedState(
                new MapStateDescriptor<>("m", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
        for (long key : keys) {
            backend.setCurrentKey(Long.valueOf(key));
            restored.setCurrentKey(key);
            assertThat(counter.get()).isEqualTo(key & 0xFFFF);
            assertThat(restoredCounter.get()).isEqualTo(key & 0xFFFF);
            assertThat(boxed.value()).isEqualTo(key);
            assertThat(restoredBoxed.value()).isEqualTo(key);
            assertThat(restoredMap.get("k")).isEqualTo(key);
        }
    }

    @Test
    void prefetchIsOnlyAHint() {
        KeyedStateBackend<Long> half = createBackend(LongSerializer.INSTANCE, new KeyGroupRange(0, 63));
        LongValueState counts = half.getOrCreateKeyedState(new LongValueStateDescriptor("counts"));
        List<Long> owned = new java.util.ArrayList<>();
        for (long k = 0; owned.size() < 200; k++) {
            if (KeyGroupAssignment.assignToKeyGroup(k, MAX_PARALLELISM) < 64) {
                owned.add(k);
            }
        }
        for (int i = 0; i < 100; i++) {
            half.setCurrentKey(owned.get(i).longValue());
            counts.add(i + 1);
        }
        half.setCurrentKey(owned.get(5).longValue());
        for (long k = 0; k < 1_000; k++) {
            half.prefetch(k); // present, absent, and keys of groups this backend does not own
        }
        half.prefetch(Long.MIN_VALUE);
        assertThat(half.currentKey()).isEqualTo(owned.get(5));
        assertThat(counts.get()).isEqualTo(6);
        for (int i = 0; i < 200; i++) {
            half.setCurrentKey(owned.get(i).longValue());
            assertThat(counts.get()).isEqualTo(i < 100 ? i + 1 : 0);
        }
        KeyedStateBackend<String> strings =
                createBackend(StringSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM));
        strings.prefetch(7L); // ignored for other key types
    }

    @Test
    void primitiveLongKeyNeedsTheLongSerializerAndTheBackendsKeyGroups() {
        KeyedStateBackend<String> strings =
                createBackend(StringSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM));
        assertThatThrownBy(() -> strings.setCurrentKey(7L))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("LongSerializer");
        KeyedStateBackend<Long> half = createBackend(LongSerializer.INSTANCE, new KeyGroupRange(0, 63));
        long outside = 0;
        while (KeyGroupAssignment.assignToKeyGroup(outside, MAX_PARALLELISM) < 64) {
            outside++;
        }
        long key = outside;
        assertThatThrownBy(() -> half.setCurrentKey(key)).isInstanceOf(StateAccessException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void namespacesSeparateValuesOfOneKey() {
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState state =
                backend.getOrCreateKeyedState(LongSerializer.INSTANCE, new LongValueStateDescriptor("perWindow"));
        NamespacedState<Long> namespaced = (NamespacedState<Long>) state;
        backend.setCurrentKey(1L);
        namespaced.setCurrentNamespace(60_000L);
        state.add(1);
        namespaced.setCurrentNamespace(120_000L);
        state.add(10);
        state.add(10);
        namespaced.setCurrentNamespace(60_000L);
        assertThat(state.get()).isEqualTo(1);
        namespaced.setCurrentNamespace(120_000L);
        assertThat(state.get()).isEqualTo(20);
        state.clear();
        namespaced.setCurrentNamespace(60_000L);
        assertThat(state.get()).isEqualTo(1);
    }

    @Test
    void misuseIsRefusedWithClearErrors() {
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState state = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        assertThatThrownBy(state::get).isInstanceOf(StateAccessException.class).hasMessageContaining("state=c");
        assertThatThrownBy(
                        () -> backend.getOrCreateKeyedState(new ValueStateDescriptor<>("c", LongSerializer.INSTANCE)))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("c");
        KeyedStateBackend<Long> half = createBackend(LongSerializer.INSTANCE, KeyGroupRange.of(0, 63));
        long outside = keyInGroups(64, 127, 0);
        assertThatThrownBy(() -> half.setCurrentKey(outside))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("range=[0..63]");
    }

    // ---------------------------------------------------------------- namespace merging

    /** The states of one key, as a session window keeps them, in namespaces 10, 20, 30 (empty) and 40. */
    private static final class MergingStates {
        final ReducingState<Long> max;
        final AggregatingState<Long, Double> average;
        final AggregatingState<Long, Long> sum;
        final ListState<String> strings;
        final ListState<Long> longs;
        final List<MergingState<Long>> all = new ArrayList<>();

        @SuppressWarnings("unchecked")
        MergingStates(KeyedStateBackend<Long> backend) {
            max = backend.getOrCreateKeyedState(
                    LongSerializer.INSTANCE, new ReducingStateDescriptor<>("max", Math::max, LongSerializer.INSTANCE));
            average = backend.getOrCreateKeyedState(
                    LongSerializer.INSTANCE,
                    new AggregatingStateDescriptor<>(
                            "avg", new Average(), new RecordSerializer<>(ConformanceTypes.Acc.class)));
            sum = backend.getOrCreateKeyedState(
                    LongSerializer.INSTANCE,
                    new AggregatingStateDescriptor<>(
                            "sum", new MutableSum(), new ListSerializer<>(LongSerializer.INSTANCE)));
            strings = backend.getOrCreateKeyedState(
                    LongSerializer.INSTANCE, new ListStateDescriptor<>("strings", StringSerializer.INSTANCE));
            longs = backend.getOrCreateKeyedState(
                    LongSerializer.INSTANCE, new ListStateDescriptor<>("longs", LongSerializer.INSTANCE));
            for (Object state : List.of(max, average, sum, strings, longs)) {
                all.add((MergingState<Long>) state);
            }
        }

        void namespace(long namespace) {
            for (MergingState<Long> state : all) {
                state.setCurrentNamespace(namespace);
            }
        }

        void add(long namespace, long... values) {
            namespace(namespace);
            for (long v : values) {
                max.add(v);
                average.add(v);
                sum.add(v);
                strings.add("s" + v);
                longs.add(v);
            }
        }

        void merge(long target, Long... sources) {
            for (MergingState<Long> state : all) {
                state.mergeNamespaces(target, List.of(sources));
            }
        }

        /** Namespace {@code namespace} holds exactly {@code values}, in that order. */
        void verify(long namespace, String context, long... values) {
            namespace(namespace);
            String as = context + ", namespace " + namespace;
            if (values.length == 0) {
                assertThat(max.get()).as(as).isNull();
                assertThat(average.get()).as(as).isNull();
                assertThat(sum.get()).as(as).isNull();
                assertThat(strings.get()).as(as).isEmpty();
                assertThat(longs.get()).as(as).isEmpty();
                return;
            }
            List<String> expectedStrings = new ArrayList<>();
            List<Long> expectedLongs = new ArrayList<>();
            long total = 0;
            long maximum = Long.MIN_VALUE;
            for (long v : values) {
                expectedStrings.add("s" + v);
                expectedLongs.add(v);
                total += v;
                maximum = Math.max(maximum, v);
            }
            assertThat(max.get()).as(as).isEqualTo(maximum);
            assertThat(average.get()).as(as).isEqualTo((double) total / values.length);
            assertThat(sum.get()).as(as).isEqualTo(total);
            assertThat(strings.get()).as(as).containsExactlyElementsOf(expectedStrings);
            assertThat(longs.get()).as(as).containsExactlyElementsOf(expectedLongs);
        }
    }

    @Test
    void mergeNamespacesCombinesReducingAggregatingAndListStates() {
        KeyedStateBackend<Long> backend = longKeyed();
        MergingStates states = new MergingStates(backend);
        backend.setCurrentKey(2L);
        states.add(20, 100); // another key's namespace 20: untouched by key 1's merge
        backend.setCurrentKey(1L);
        states.add(10, 1, 2);
        states.add(20, 3);
        states.add(40, 10, 4);
        states.namespace(20); // current namespace before the merge
        states.merge(10, 20L, 30L, 40L, 10L); // 30 is empty; the target among the sources is ignored

        states.verify(10, "merged", 1, 2, 3, 10, 4);
        states.verify(20, "source cleared");
        states.verify(30, "empty source");
        states.verify(40, "source cleared");
        backend.setCurrentKey(2L);
        states.verify(20, "other key", 100);

        backend.setCurrentKey(1L);
        states.merge(50, 10L); // into an empty target: moved
        states.verify(50, "moved", 1, 2, 3, 10, 4);
        states.verify(10, "moved away");
        states.merge(60, 30L, 10L); // only empty sources: the target stays empty
        states.verify(60, "nothing to merge");
        states.add(50, 7); // the merged namespace takes more values after its own
        states.verify(50, "added after the merge", 1, 2, 3, 10, 4, 7);
    }

    @Test
    void mergeNamespacesKeepsTheCurrentNamespace() {
        KeyedStateBackend<Long> backend = longKeyed();
        MergingStates states = new MergingStates(backend);
        backend.setCurrentKey(1L);
        states.add(10, 1);
        states.add(20, 2);
        states.namespace(20);
        states.merge(10, 20L);
        // no namespace set since the merge: adds go to namespace 20, where they were going before it
        states.max.add(5L);
        states.average.add(5L);
        states.sum.add(5L);
        states.strings.add("s5");
        states.longs.add(5L);
        states.verify(20, "after the merge", 5);
        states.verify(10, "merged", 1, 2);
    }

    @Test
    void mergeNamespacesConcatenatesLongListsInOrder() {
        KeyedStateBackend<Long> backend = longKeyed();
        ListState<String> list = backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE, new ListStateDescriptor<>("l", StringSerializer.INSTANCE));
        @SuppressWarnings("unchecked")
        MergingState<Long> merging = (MergingState<Long>) list;
        List<String> expected = new ArrayList<>();
        backend.setCurrentKey(5L);
        for (long namespace = 1; namespace <= 4; namespace++) {
            merging.setCurrentNamespace(namespace);
            for (int i = 0; i < 300; i++) { // many appends: several chunks where a backend chains them
                String element = namespace + "-" + i + "-" + "x".repeat(i % 40);
                list.add(element);
                expected.add(element);
            }
        }
        merging.mergeNamespaces(1L, List.of(2L, 3L, 4L));
        merging.setCurrentNamespace(1L);
        assertThat(list.get()).containsExactlyElementsOf(expected);
        for (long namespace = 2; namespace <= 4; namespace++) {
            merging.setCurrentNamespace(namespace);
            assertThat(list.get()).as("source %d", namespace).isEmpty();
        }
    }

    @Test
    void snapshotsSeeNamespacesAsTheyWereAtTheirSynchronousPart() throws Exception {
        for (SnapshotKind kind : SnapshotKind.values()) {
            KeyedStateBackend<Long> backend = longKeyed();
            MergingStates states = new MergingStates(backend);
            for (long key = 0; key < 50; key++) {
                backend.setCurrentKey(key);
                states.add(10, key, 1);
                states.add(20, 2);
            }
            Callable<KeyedStateHandle> beforeMerge = backend.snapshot(1, kind, storage);
            for (long key = 0; key < 50; key++) {
                backend.setCurrentKey(key);
                states.merge(10, 20L);
                states.add(10, 3);
            }
            KeyedStateHandle before = beforeMerge.call();
            KeyedStateHandle after = snapshotNow(backend, 2, kind, storage);

            KeyedStateBackend<Long> restoredBefore =
                    restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(before));
            MergingStates statesBefore = new MergingStates(restoredBefore);
            KeyedStateBackend<Long> restoredAfter =
                    restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(after));
            MergingStates statesAfter = new MergingStates(restoredAfter);
            for (long key = 0; key < 50; key++) {
                restoredBefore.setCurrentKey(key);
                statesBefore.verify(10, kind + " before the merge", key, 1);
                statesBefore.verify(20, kind + " before the merge", 2);
                restoredAfter.setCurrentKey(key);
                statesAfter.verify(10, kind + " after the merge", key, 1, 2, 3);
                statesAfter.verify(20, kind + " after the merge");
                // a restored backend merges too
                statesAfter.add(30, 4);
                statesAfter.merge(10, 30L);
                statesAfter.verify(10, kind + " merged after the restore", key, 1, 2, 3, 4);
            }
        }
    }

    @Test
    void mergedTtlListElementsKeepTheirOwnTimestamps() {
        KeyedStateBackend<Long> backend = longKeyed();
        StateTtlConfig ttl = StateTtlConfig.processingTime(Duration.ofSeconds(10));
        ListState<Long> list = backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE, ttl(new ListStateDescriptor<>("l", LongSerializer.INSTANCE), ttl));
        ReducingState<Long> reducing = backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE,
                ttl(new ReducingStateDescriptor<>("r", Long::sum, LongSerializer.INSTANCE), ttl));
        @SuppressWarnings("unchecked")
        MergingState<Long> mergingList = (MergingState<Long>) list;
        @SuppressWarnings("unchecked")
        MergingState<Long> mergingReducing = (MergingState<Long>) reducing;
        backend.setCurrentKey(1L);
        mergingList.setCurrentNamespace(1L);
        mergingReducing.setCurrentNamespace(1L);
        list.add(1L);
        reducing.add(1L);
        clock.advance(6_000);
        mergingList.setCurrentNamespace(2L);
        mergingReducing.setCurrentNamespace(2L);
        list.add(2L);
        reducing.add(2L);
        mergingList.mergeNamespaces(1L, List.of(2L));
        mergingReducing.mergeNamespaces(1L, List.of(2L));
        mergingList.setCurrentNamespace(1L);
        mergingReducing.setCurrentNamespace(1L);
        assertThat(list.get()).containsExactly(1L, 2L);
        assertThat(reducing.get()).isEqualTo(3L);
        clock.advance(5_000); // element 1 is 11 s old, element 2 and the merged sum 5 s
        assertThat(list.get()).containsExactly(2L);
        assertThat(reducing.get()).isEqualTo(3L);
    }

    /**
     * Random session-like churn on one key range: values added to namespaces, namespaces merged and cleared, snapshots
     * of every kind taken in between (each completed and restored), always equal to a model.
     */
    @Test
    void namespaceMergesMatchAModelAcrossSnapshotsAndRestores() throws Exception {
        long seed = System.nanoTime();
        System.out.println("namespaceMergesMatchAModelAcrossSnapshotsAndRestores seed=" + seed);
        Random random = new Random(seed);
        KeyedStateBackend<Long> backend = longKeyed();
        MergingStates states = new MergingStates(backend);
        Map<Long, Map<Long, List<Long>>> model = new HashMap<>();
        long checkpoint = 0;
        for (int op = 0; op < 4_000; op++) {
            long key = random.nextInt(20);
            backend.setCurrentKey(key);
            Map<Long, List<Long>> namespaces = model.computeIfAbsent(key, k -> new HashMap<>());
            int kind = random.nextInt(10);
            if (kind < 6) {
                long namespace = random.nextInt(8);
                long value = random.nextInt(1_000);
                states.add(namespace, value);
                namespaces.computeIfAbsent(namespace, n -> new ArrayList<>()).add(value);
            } else if (kind < 9) {
                long target = random.nextInt(8);
                List<Long> sources = new ArrayList<>();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    sources.add((long) random.nextInt(8));
                }
                sources = new ArrayList<>(new java.util.LinkedHashSet<>(sources));
                states.merge(target, sources.toArray(new Long[0]));
                List<Long> merged = new ArrayList<>(namespaces.getOrDefault(target, List.of()));
                for (Long source : sources) {
                    if (source != target) {
                        List<Long> moved = namespaces.remove(source);
                        if (moved != null) {
                            merged.addAll(moved);
                        }
                    }
                }
                if (!merged.isEmpty()) {
                    namespaces.put(target, merged);
                }
            } else {
                long namespace = random.nextInt(8);
                states.namespace(namespace);
                for (MergingState<Long> state : states.all) {
                    ((io.tidemark.state.State) state).clear();
                }
                namespaces.remove(namespace);
            }
            if (op % 1_000 == 999) {
                SnapshotKind kind2 = SnapshotKind.values()[(int) (checkpoint % SnapshotKind.values().length)];
                KeyedStateHandle handle = snapshotNow(backend, ++checkpoint, kind2, storage);
                backend.notifyCheckpointComplete(checkpoint);
                KeyedStateBackend<Long> restored =
                        restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
                verifyModel(restored, new MergingStates(restored), model, kind2 + " restore after op " + op);
            }
        }
        verifyModel(backend, states, model, "live");
    }

    private static void verifyModel(
            KeyedStateBackend<Long> backend,
            MergingStates states,
            Map<Long, Map<Long, List<Long>>> model,
            String context) {
        for (long key = 0; key < 20; key++) {
            backend.setCurrentKey(key);
            for (long namespace = 0; namespace < 8; namespace++) {
                List<Long> values = model.getOrDefault(key, Map.of()).getOrDefault(namespace, List.of());
                states.verify(
                        namespace,
                        context + ", key " + key,
                        values.stream().mapToLong(Long::longValue).toArray());
            }
        }
    }

    @Test
    void valueMapAndPrimitiveStatesDoNotMerge() {
        KeyedStateBackend<Long> backend = longKeyed();
        Object value = backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE, new ValueStateDescriptor<>("v", StringSerializer.INSTANCE));
        Object map = backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE,
                new MapStateDescriptor<>("m", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
        Object counter = backend.getOrCreateKeyedState(LongSerializer.INSTANCE, new LongValueStateDescriptor("c"));
        assertThat(List.of(value, map, counter)).noneMatch(state -> state instanceof MergingState<?>);
    }

    // ---------------------------------------------------------------- TTL

    @Test
    void processingTimeTtlExpiresEveryStateType() {
        KeyedStateBackend<Long> backend = longKeyed();
        StateTtlConfig ttl = StateTtlConfig.processingTime(Duration.ofSeconds(10));
        ValueState<String> value =
                backend.getOrCreateKeyedState(ttl(new ValueStateDescriptor<>("v", StringSerializer.INSTANCE), ttl));
        ListState<Long> list =
                backend.getOrCreateKeyedState(ttl(new ListStateDescriptor<>("l", LongSerializer.INSTANCE), ttl));
        MapState<String, Long> map = backend.getOrCreateKeyedState(
                ttl(new MapStateDescriptor<>("m", StringSerializer.INSTANCE, LongSerializer.INSTANCE), ttl));
        LongValueState counter = backend.getOrCreateKeyedState(ttl(new LongValueStateDescriptor("c"), ttl));
        DoubleValueState sum = backend.getOrCreateKeyedState(ttl(new DoubleValueStateDescriptor("d"), ttl));
        ReducingState<Long> reducing = backend.getOrCreateKeyedState(
                ttl(new ReducingStateDescriptor<>("r", Long::sum, LongSerializer.INSTANCE), ttl));
        backend.setCurrentKey(1L);
        value.update("x");
        list.add(1L);
        map.put("a", 1L);
        counter.add(5);
        sum.add(2.5);
        reducing.add(3L);
        clock.advance(6_000);
        list.add(2L);
        map.put("b", 2L);
        clock.advance(4_000);
        assertThat(value.value()).isNull();
        assertThat(list.get()).containsExactly(2L);
        assertThat(map.contains("a")).isFalse();
        assertThat(map.get("b")).isEqualTo(2L);
        assertThat(counter.isPresent()).isFalse();
        assertThat(counter.get()).isZero();
        assertThat(sum.isPresent()).isFalse();
        assertThat(reducing.get()).isNull();
        clock.advance(6_000);
        assertThat(list.get()).isEmpty();
        assertThat(map.isEmpty()).isTrue();
    }

    @Test
    void readRefreshesWhenConfigured() {
        KeyedStateBackend<Long> backend = longKeyed();
        StateTtlConfig ttl = StateTtlConfig.processingTime(Duration.ofSeconds(10))
                .withUpdateType(StateTtlConfig.UpdateType.ON_READ_AND_WRITE);
        ValueState<String> value =
                backend.getOrCreateKeyedState(ttl(new ValueStateDescriptor<>("v", StringSerializer.INSTANCE), ttl));
        backend.setCurrentKey(1L);
        value.update("kept alive");
        for (int i = 0; i < 5; i++) {
            clock.advance(9_000);
            assertThat(value.value()).isEqualTo("kept alive");
        }
        clock.advance(10_000);
        assertThat(value.value()).isNull();
    }

    /**
     * P11 (Q1): reads in read-only access, as queries make them, neither refresh TTL timestamps nor remove expired
     * entries. Key 1 is read only that way; key 2 is read by the operator, as the control that shows what a normal read
     * changes. The snapshot keeps expired entries ({@code cleanupInSnapshots=false}), so restoring it with the clock
     * set back shows which entries the reads removed.
     */
    @Test
    void readOnlyAccessNeitherRefreshesNorCleansTtlState() throws Exception {
        long start = clock.currentTimeMillis();
        KeyedStateBackend<Long> backend = longKeyed();
        TtlStates states = new TtlStates(backend);
        for (long key = 1; key <= 2; key++) {
            backend.setCurrentKey(key);
            states.write(key);
        }
        clock.advance(9_000);
        backend.setCurrentKey(1L);
        assertThat(backend.readOnly(states::read)).isEqualTo(TtlStates.written(1));
        backend.setCurrentKey(2L);
        assertThat(states.read()).isEqualTo(TtlStates.written(2));

        clock.advance(1_000);
        backend.setCurrentKey(1L);
        assertThat(backend.readOnly(states::read))
                .as("not refreshed by the query")
                .isEqualTo(TtlStates.ABSENT);
        backend.setCurrentKey(2L);
        assertThat(states.read()).as("refreshed by the operator's read").isEqualTo(TtlStates.written(2));
        clock.advance(10_000);
        assertThat(states.read()).as("expired, removed by the operator's read").isEqualTo(TtlStates.ABSENT);

        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.FULL, storage);
        clock.set(start);
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        TtlStates again = new TtlStates(restored);
        restored.setCurrentKey(1L);
        assertThat(again.read())
                .as("expired entries left in place by the query")
                .isEqualTo(TtlStates.written(1));
        restored.setCurrentKey(2L);
        assertThat(again.read()).isEqualTo(TtlStates.ABSENT);
    }

    /** Value, list, map and long state with read-refreshed processing-time TTL of 10 s, kept through snapshots. */
    private static final class TtlStates {
        static final List<Object> ABSENT = List.of("null", List.of(), Map.of(), "absent");
        private static final StateTtlConfig TTL = new StateTtlConfig(
                Duration.ofSeconds(10),
                StateTtlConfig.TimeDomain.PROCESSING_TIME,
                StateTtlConfig.UpdateType.ON_READ_AND_WRITE,
                false);
        final ValueState<String> value;
        final ListState<Long> list;
        final MapState<String, Long> map;
        final LongValueState counter;

        TtlStates(KeyedStateBackend<Long> backend) {
            value = backend.getOrCreateKeyedState(ttl(new ValueStateDescriptor<>("v", StringSerializer.INSTANCE), TTL));
            list = backend.getOrCreateKeyedState(ttl(new ListStateDescriptor<>("l", LongSerializer.INSTANCE), TTL));
            map = backend.getOrCreateKeyedState(
                    ttl(new MapStateDescriptor<>("m", StringSerializer.INSTANCE, LongSerializer.INSTANCE), TTL));
            counter = backend.getOrCreateKeyedState(ttl(new LongValueStateDescriptor("c"), TTL));
        }

        void write(long key) {
            value.update("v" + key);
            list.add(key);
            map.put("k" + key, key);
            counter.set(key * 10);
        }

        static List<Object> written(long key) {
            return List.of("v" + key, List.of(key), Map.of("k" + key, key), key * 10);
        }

        List<Object> read() {
            List<Long> elements = new ArrayList<>();
            list.get().forEach(elements::add);
            Map<String, Long> entries = new HashMap<>();
            map.entries().forEach(e -> entries.put(e.getKey(), e.getValue()));
            return List.of(
                    String.valueOf(value.value()),
                    elements,
                    entries,
                    counter.isPresent() ? (Object) counter.get() : "absent");
        }
    }

    @Test
    void eventTimeTtlFollowsTheWatermark() {
        KeyedStateBackend<Long> backend = longKeyed();
        StateTtlConfig ttl = StateTtlConfig.eventTime(Duration.ofMinutes(1));
        LongValueState counter = backend.getOrCreateKeyedState(ttl(new LongValueStateDescriptor("c"), ttl));
        backend.setCurrentWatermark(1_000_000);
        backend.setCurrentKey(1L);
        counter.add(1);
        clock.advance(3_600_000);
        assertThat(counter.get())
                .as("processing time does not expire event-time TTL")
                .isEqualTo(1);
        backend.setCurrentWatermark(1_059_999);
        assertThat(counter.get()).isEqualTo(1);
        backend.setCurrentWatermark(1_060_000);
        assertThat(counter.isPresent()).isFalse();
    }

    @Test
    void eventTimeEntriesWrittenBeforeTheFirstWatermarkAgeFromIt() {
        KeyedStateBackend<Long> backend = longKeyed();
        StateTtlConfig ttl = StateTtlConfig.eventTime(Duration.ofMinutes(1));
        LongValueState counter = backend.getOrCreateKeyedState(ttl(new LongValueStateDescriptor("c"), ttl));
        backend.setCurrentKey(1L);
        counter.add(1);
        backend.setCurrentWatermark(5_000_000);
        assertThat(counter.get()).as("not lost when watermarks start").isEqualTo(1);
        backend.setCurrentWatermark(5_059_999);
        assertThat(counter.get()).isEqualTo(1);
        backend.setCurrentWatermark(5_060_000);
        assertThat(counter.isPresent()).isFalse();
    }

    @Test
    void expiredEntriesAreDroppedFromSnapshots() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        StateTtlConfig ttl = StateTtlConfig.processingTime(Duration.ofSeconds(10));
        ValueStateDescriptor<String> descriptor = ttl(new ValueStateDescriptor<>("v", StringSerializer.INSTANCE), ttl);
        ValueState<String> value = backend.getOrCreateKeyedState(descriptor);
        backend.setCurrentKey(1L);
        value.update("old");
        clock.advance(8_000);
        backend.setCurrentKey(2L);
        value.update("young");
        clock.advance(3_000);
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.CANONICAL, storage);
        clock.set(0);
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        ValueState<String> restoredValue =
                restored.getOrCreateKeyedState(ttl(new ValueStateDescriptor<>("v", StringSerializer.INSTANCE), ttl));
        restored.setCurrentKey(1L);
        assertThat(restoredValue.value()).as("expired before the snapshot").isNull();
        restored.setCurrentKey(2L);
        assertThat(restoredValue.value()).isEqualTo("young");
    }

    // ---------------------------------------------------------------- snapshots and restore

    @Test
    void everyStateTypeSurvivesSnapshotAndRestore() throws Exception {
        for (SnapshotKind kind : SnapshotKind.values()) {
            KeyedStateBackend<Long> backend = longKeyed();
            AllStates states = new AllStates(backend);
            for (long key = 0; key < 200; key++) {
                backend.setCurrentKey(key);
                states.write(key, 1);
            }
            KeyedStateHandle handle = snapshotNow(backend, 1, kind, storage);
            KeyedStateBackend<Long> restored =
                    restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
            AllStates restoredStates = new AllStates(restored);
            for (long key = 0; key < 200; key++) {
                restored.setCurrentKey(key);
                restoredStates.verify(key, 1, kind.name());
            }
        }
    }

    @Test
    void snapshotSeesStateAtTheSynchronousPart() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        AllStates states = new AllStates(backend);
        for (long key = 0; key < 300; key++) {
            backend.setCurrentKey(key);
            states.write(key, 1);
        }
        Callable<KeyedStateHandle> async = backend.snapshot(1, SnapshotKind.CANONICAL, storage);
        for (long key = 0; key < 300; key++) {
            backend.setCurrentKey(key);
            if (key % 3 == 0) {
                states.clearAll();
            } else {
                states.write(key, 2);
            }
        }
        for (long key = 300; key < 400; key++) {
            backend.setCurrentKey(key);
            states.write(key, 2);
        }
        KeyedStateHandle handle = async.call();
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        AllStates restoredStates = new AllStates(restored);
        for (long key = 0; key < 300; key++) {
            restored.setCurrentKey(key);
            restoredStates.verify(key, 1, "at the barrier");
        }
        for (long key = 300; key < 400; key++) {
            restored.setCurrentKey(key);
            restoredStates.verifyAbsent("written after the barrier");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void asynchronousPartRunsOnAnotherThreadWhileTheWriterGoesOn() throws Exception {
        long seed = System.nanoTime();
        System.out.println("asynchronousPartRunsOnAnotherThreadWhileTheWriterGoesOn seed=" + seed);
        Random random = new Random(seed);
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        ListState<Long> list = backend.getOrCreateKeyedState(new ListStateDescriptor<>("l", LongSerializer.INSTANCE));
        Map<Long, Long> model = new HashMap<>();
        ExecutorService snapshotThread = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 2_000; i++) {
                    long key = random.nextInt(500);
                    backend.setCurrentKey(key);
                    long next = counter.add(1);
                    list.add(next);
                    model.put(key, next);
                }
                Map<Long, Long> expected = new HashMap<>(model);
                Future<KeyedStateHandle> future =
                        snapshotThread.submit(backend.snapshot(round, SnapshotKind.CANONICAL, storage));
                while (!future.isDone()) {
                    long key = random.nextInt(600);
                    backend.setCurrentKey(key);
                    long next = counter.add(1);
                    list.add(next);
                    model.put(key, next);
                }
                KeyedStateBackend<Long> restored =
                        restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(future.get()));
                LongValueState restoredCounter = restored.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
                ListState<Long> restoredList =
                        restored.getOrCreateKeyedState(new ListStateDescriptor<>("l", LongSerializer.INSTANCE));
                for (long key = 0; key < 600; key++) {
                    restored.setCurrentKey(key);
                    Long want = expected.get(key);
                    assertThat(restoredCounter.isPresent())
                            .as("key %d seed %d", key, seed)
                            .isEqualTo(want != null);
                    if (want != null) {
                        assertThat(restoredCounter.get())
                                .as("key %d seed %d", key, seed)
                                .isEqualTo(want);
                        List<Long> elements = new ArrayList<>();
                        restoredList.get().forEach(elements::add);
                        assertThat(elements).hasSize((int) (long) want);
                    }
                }
            }
        } finally {
            snapshotThread.shutdownNow();
        }
    }

    @Test
    void emptyStateSnapshotsAndRestores() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.FULL, storage);
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        LongValueState counter = restored.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        restored.setCurrentKey(1L);
        assertThat(counter.isPresent()).isFalse();
    }

    @Test
    void largeValuesRoundTrip() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        ValueState<byte[]> blob =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("blob", BytesSerializer.INSTANCE));
        byte[] large = new byte[4 << 20];
        new Random(42).nextBytes(large);
        backend.setCurrentKey(1L);
        blob.update(large);
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.FULL, storage);
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        ValueState<byte[]> restoredBlob =
                restored.getOrCreateKeyedState(new ValueStateDescriptor<>("blob", BytesSerializer.INSTANCE));
        restored.setCurrentKey(1L);
        assertThat(restoredBlob.value()).isEqualTo(large);
    }

    @Test
    void manyKeysRoundTrip() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        int keys = 100_000;
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            counter.set(key * 3);
        }
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.FULL, storage);
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        LongValueState restoredCounter = restored.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        for (long key = 0; key < keys; key++) {
            restored.setCurrentKey(key);
            assertThat(restoredCounter.get()).isEqualTo(key * 3);
        }
    }

    @Test
    void stateNotRegisteredAfterRestoreIsCarriedIntoTheNextSnapshot() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState kept = backend.getOrCreateKeyedState(new LongValueStateDescriptor("kept"));
        LongValueState dormant = backend.getOrCreateKeyedState(new LongValueStateDescriptor("dormant"));
        backend.setCurrentKey(1L);
        kept.set(1);
        dormant.set(2);
        KeyedStateHandle first = snapshotNow(backend, 1, SnapshotKind.FULL, storage);
        KeyedStateBackend<Long> middle =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(first));
        middle.getOrCreateKeyedState(new LongValueStateDescriptor("kept"));
        assertThat(middle.stateNames()).contains("kept", "dormant");
        KeyedStateHandle second = snapshotNow(middle, 2, SnapshotKind.FULL, storage);
        KeyedStateBackend<Long> last =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(second));
        LongValueState woken = last.getOrCreateKeyedState(new LongValueStateDescriptor("dormant"));
        last.setCurrentKey(1L);
        assertThat(woken.get()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- key iteration

    @Test
    @SuppressWarnings("unchecked")
    void forEachKeyVisitsOnceEachKeyThatHasAnEntry() {
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        ValueState<String> text =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("v", StringSerializer.INSTANCE));
        ListState<Long> list = backend.getOrCreateKeyedState(new ListStateDescriptor<>("l", LongSerializer.INSTANCE));
        MapState<Long, String> map = backend.getOrCreateKeyedState(
                LongSerializer.INSTANCE,
                new MapStateDescriptor<>("m", LongSerializer.INSTANCE, StringSerializer.INSTANCE));
        NamespacedState<Long> mapNamespace = (NamespacedState<Long>) map;
        int keys = 500;
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            counter.set(key + 1);
            text.update("t" + key);
            list.add(key);
            for (long namespace = 0; namespace < 3; namespace++) {
                mapNamespace.setCurrentNamespace(namespace);
                map.put(key, "a");
                map.put(key + 1, "b");
            }
        }
        List<Long> withValues = new ArrayList<>();
        List<Long> withMaps = new ArrayList<>();
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            if (key % 5 == 0) { // emptied entry by entry
                counter.clear();
                text.clear();
                list.clear();
                for (long namespace = 0; namespace < 3; namespace++) {
                    mapNamespace.setCurrentNamespace(namespace);
                    map.remove(key);
                    map.remove(key + 1);
                }
                continue;
            }
            withValues.add(key);
            if (key % 5 == 1) { // cleared in two namespaces, one entry left in the third
                for (long namespace = 0; namespace < 2; namespace++) {
                    mapNamespace.setCurrentNamespace(namespace);
                    map.clear();
                }
                mapNamespace.setCurrentNamespace(2L);
                map.remove(key);
            }
            withMaps.add(key);
        }
        assertThat(keysOf(backend, "c")).containsExactlyInAnyOrderElementsOf(withValues);
        assertThat(keysOf(backend, "v")).containsExactlyInAnyOrderElementsOf(withValues);
        assertThat(keysOf(backend, "l")).containsExactlyInAnyOrderElementsOf(withValues);
        assertThat(keysOf(backend, "m")).containsExactlyInAnyOrderElementsOf(withMaps);
    }

    @Test
    @SuppressWarnings("unchecked")
    void forEachKeyActionMayChangeTheStateItWalks() {
        KeyedStateBackend<Long> backend = longKeyed();
        MapState<Long, Boolean> map = backend.getOrCreateKeyedState(
                new MapStateDescriptor<>("m", LongSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        List<Long> written = new ArrayList<>();
        for (long key = 0; key < 300; key++) {
            backend.setCurrentKey(key);
            map.put(key * 10, true);
            map.put(key * 10 + 1, true);
            written.add(key);
        }
        List<Long> visited = new ArrayList<>();
        backend.forEachKey("m", key -> {
            visited.add(key);
            backend.setCurrentKey(key);
            map.remove(key * 10);
            map.remove(key * 10 + 1);
            backend.setCurrentKey(key + 1_000);
            map.put(1L, true); // a key added during the walk is not visited by it
        });
        assertThat(visited).containsExactlyInAnyOrderElementsOf(written);
        List<Long> added = new ArrayList<>();
        for (long key : written) {
            added.add(key + 1_000);
        }
        assertThat(keysOf(backend, "m")).containsExactlyInAnyOrderElementsOf(added);
    }

    @Test
    void forEachKeyAfterRestoreVisitsTheKeysOfOwnedKeyGroupsOnly() throws Exception {
        int keys = 1_000;
        int parallelism = 3;
        for (SnapshotKind kind : SnapshotKind.values()) {
            KeyedStateBackend<Long> backend = longKeyed();
            LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
            MapState<Long, Boolean> map = backend.getOrCreateKeyedState(
                    new MapStateDescriptor<>("m", LongSerializer.INSTANCE, BooleanSerializer.INSTANCE));
            List<Long> all = new ArrayList<>();
            List<Long> even = new ArrayList<>();
            for (long key = 0; key < keys; key++) {
                backend.setCurrentKey(key);
                counter.set(key + 1);
                all.add(key);
                if (key % 2 == 0) {
                    map.put(key, true);
                    even.add(key);
                }
            }
            KeyedStateHandle handle = snapshotNow(backend, 1, kind, storage);
            List<Long> counterKeys = new ArrayList<>();
            List<Long> mapKeys = new ArrayList<>();
            for (int index = 0; index < parallelism; index++) {
                KeyGroupRange range =
                        KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, parallelism, index);
                KeyedStateBackend<Long> part = restored(LongSerializer.INSTANCE, range, List.of(handle));
                part.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
                part.getOrCreateKeyedState(
                        new MapStateDescriptor<>("m", LongSerializer.INSTANCE, BooleanSerializer.INSTANCE));
                for (long key : keysOf(part, "c")) {
                    assertThat(range.contains(KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM)))
                            .as("%s: key %d in %s", kind, key, range)
                            .isTrue();
                    counterKeys.add(key);
                }
                mapKeys.addAll(keysOf(part, "m"));
                part.close();
            }
            assertThat(counterKeys).as(kind.name()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(mapKeys).as(kind.name()).containsExactlyInAnyOrderElementsOf(even);
        }
    }

    @Test
    void forEachKeyOfAStateNotRegisteredIsRefused() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        backend.setCurrentKey(1L);
        counter.set(1);
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.CANONICAL, storage);
        assertThatThrownBy(() -> backend.forEachKey("other", key -> {}))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("state=other");
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        assertThatThrownBy(() -> restored.forEachKey("c", key -> {}))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("state=c");
    }

    private static <K> List<K> keysOf(KeyedStateBackend<K> backend, String stateName) {
        List<K> keys = new ArrayList<>();
        backend.forEachKey(stateName, keys::add);
        return keys;
    }

    // ---------------------------------------------------------------- rescaling

    @Test
    void restoreRedistributesKeyGroupsAcrossParallelism() throws Exception {
        int keys = 3_000;
        for (int from : new int[] {1, 3}) {
            List<KeyedStateHandle> handles = new ArrayList<>();
            for (int index = 0; index < from; index++) {
                KeyGroupRange range =
                        KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, from, index);
                KeyedStateBackend<String> backend = createBackend(StringSerializer.INSTANCE, range);
                LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
                ListState<String> list =
                        backend.getOrCreateKeyedState(new ListStateDescriptor<>("l", StringSerializer.INSTANCE));
                for (int key = 0; key < keys; key++) {
                    String k = "key-" + key;
                    if (range.contains(KeyGroupAssignment.assignToKeyGroup(k, MAX_PARALLELISM))) {
                        backend.setCurrentKey(k);
                        counter.set(key);
                        list.add(k);
                    }
                }
                handles.add(snapshotNow(backend, 1, SnapshotKind.CANONICAL, storage));
            }
            for (int to : new int[] {1, 2, 5, MAX_PARALLELISM}) {
                int[] seen = new int[keys];
                for (int index = 0; index < to; index++) {
                    KeyGroupRange range =
                            KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, to, index);
                    KeyedStateBackend<String> backend = restored(StringSerializer.INSTANCE, range, handles);
                    LongValueState counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
                    ListState<String> list =
                            backend.getOrCreateKeyedState(new ListStateDescriptor<>("l", StringSerializer.INSTANCE));
                    for (int key = 0; key < keys; key++) {
                        String k = "key-" + key;
                        if (range.contains(KeyGroupAssignment.assignToKeyGroup(k, MAX_PARALLELISM))) {
                            backend.setCurrentKey(k);
                            if (counter.isPresent()) {
                                assertThat(counter.get()).isEqualTo(key);
                                assertThat(list.get()).containsExactly(k);
                                seen[key]++;
                            }
                        }
                    }
                    backend.close();
                }
                for (int key = 0; key < keys; key++) {
                    assertThat(seen[key])
                            .as("key %d restored %d -> %d", key, from, to)
                            .isEqualTo(1);
                }
            }
        }
    }

    @Test
    void restoringWithAnotherMaxParallelismIsRefused() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        backend.getOrCreateKeyedState(new LongValueStateDescriptor("c"));
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.CANONICAL, storage);
        KeyedStateBackend<Long> other = createBackend(LongSerializer.INSTANCE, KeyGroupRange.all(64), 64);
        assertThatThrownBy(() -> other.restore(List.of(handle), storage.reader()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxParallelism")
                .hasMessageContaining("snapshot=128")
                .hasMessageContaining("now=64");
    }

    // ---------------------------------------------------------------- schema evolution

    @Test
    void compatibleSerializerRestoresAsIs() throws Exception {
        KeyedStateHandle handle = snapshotPositions();
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        ValueState<PositionV1> state = restored.getOrCreateKeyedState(
                new ValueStateDescriptor<>("position", new RecordSerializer<>(PositionV1.class)));
        restored.setCurrentKey(1L);
        assertThat(state.value()).isEqualTo(new PositionV1("ACME", 100));
    }

    @Test
    void evolvedRecordIsMigrated() throws Exception {
        KeyedStateHandle handle = snapshotPositions();
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        ValueState<PositionV2> state = restored.getOrCreateKeyedState(
                new ValueStateDescriptor<>("position", new RecordSerializer<>(PositionV2.class)));
        restored.setCurrentKey(1L);
        assertThat(state.value()).isEqualTo(new PositionV2("ACME", 100, 0.0));
        state.update(new PositionV2("ACME", 150, 12.5));
        KeyedStateHandle migrated = snapshotNow(restored, 2, SnapshotKind.CANONICAL, storage);
        KeyedStateBackend<Long> again =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(migrated));
        ValueState<PositionV2> againState = again.getOrCreateKeyedState(
                new ValueStateDescriptor<>("position", new RecordSerializer<>(PositionV2.class)));
        again.setCurrentKey(1L);
        assertThat(againState.value()).isEqualTo(new PositionV2("ACME", 150, 12.5));
        again.setCurrentKey(2L);
        assertThat(againState.value()).isEqualTo(new PositionV2("BOLT", 7, 0.0));
    }

    @Test
    void incompatibleSerializerIsRefusedNamingStateAndSchemas() throws Exception {
        KeyedStateHandle handle = snapshotPositions();
        KeyedStateBackend<Long> restored =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        assertThatThrownBy(() -> restored.getOrCreateKeyedState(
                        new ValueStateDescriptor<>("position", new RecordSerializer<>(PositionV3.class))))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("state=position")
                .hasMessageContaining("quantity");
    }

    @Test
    void changedShapeOrTtlIsRefused() throws Exception {
        KeyedStateHandle handle = snapshotPositions();
        KeyedStateBackend<Long> asList =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        assertThatThrownBy(() -> asList.getOrCreateKeyedState(
                        new ListStateDescriptor<>("position", new RecordSerializer<>(PositionV1.class))))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("state=position")
                .hasMessageContaining("VALUE");
        KeyedStateBackend<Long> withTtl =
                restored(LongSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        assertThatThrownBy(() -> withTtl.getOrCreateKeyedState(ttl(
                        new ValueStateDescriptor<>("position", new RecordSerializer<>(PositionV1.class)),
                        StateTtlConfig.processingTime(Duration.ofMinutes(1)))))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("TTL");
    }

    @Test
    void incompatibleKeySerializerIsRefused() throws Exception {
        KeyedStateHandle handle = snapshotPositions();
        KeyedStateBackend<String> restored =
                createBackend(StringSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM));
        assertThatThrownBy(() -> restored.restore(List.of(handle), storage.reader()))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("key");
    }

    @Test
    void evolvedKeyIsMigratedAndRehashedAtParallelismOne() throws Exception {
        RecordSerializer<AccountKeyV1> v1 = new RecordSerializer<>(AccountKeyV1.class);
        KeyedStateBackend<AccountKeyV1> backend = createBackend(v1, KeyGroupRange.all(MAX_PARALLELISM));
        LongValueState balance = backend.getOrCreateKeyedState(new LongValueStateDescriptor("balance"));
        for (int i = 0; i < 50; i++) {
            backend.setCurrentKey(new AccountKeyV1("acct-" + i));
            balance.set(i * 10L);
        }
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.CANONICAL, storage);

        RecordSerializer<AccountKeyV2> v2 = new RecordSerializer<>(AccountKeyV2.class);
        KeyedStateBackend<AccountKeyV2> all = restored(v2, KeyGroupRange.all(MAX_PARALLELISM), List.of(handle));
        LongValueState migrated = all.getOrCreateKeyedState(new LongValueStateDescriptor("balance"));
        for (int i = 0; i < 50; i++) {
            all.setCurrentKey(new AccountKeyV2("acct-" + i, 0));
            assertThat(migrated.get()).as("account %d", i).isEqualTo(i * 10L);
        }

        KeyedStateBackend<AccountKeyV2> half = createBackend(v2, KeyGroupRange.of(0, 63));
        assertThatThrownBy(() -> half.restore(List.of(handle), storage.reader()))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("state=balance")
                .hasMessageContaining("parallelism 1");
    }

    /**
     * R3: a state that is not registered again after a key-serializer migration is carried into the next snapshot
     * with its keys migrated, so that snapshot restores (it used to keep old-format keys under the new key serializer).
     */
    @Test
    void keyMigrationCarriesStatesNotRegisteredAgainInTheNewKeyFormat() throws Exception {
        RecordSerializer<AccountKeyV1> v1 = new RecordSerializer<>(AccountKeyV1.class);
        KeyedStateBackend<AccountKeyV1> backend = createBackend(v1, KeyGroupRange.all(MAX_PARALLELISM));
        LongValueState balance = backend.getOrCreateKeyedState(new LongValueStateDescriptor("balance"));
        ValueState<String> owner =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("owner", StringSerializer.INSTANCE));
        for (int i = 0; i < 50; i++) {
            backend.setCurrentKey(new AccountKeyV1("acct-" + i));
            balance.set(i * 10L);
            owner.update("owner-" + i);
        }
        KeyedStateHandle first = snapshotNow(backend, 1, SnapshotKind.CANONICAL, storage);

        RecordSerializer<AccountKeyV2> v2 = new RecordSerializer<>(AccountKeyV2.class);
        KeyedStateBackend<AccountKeyV2> middle = restored(v2, KeyGroupRange.all(MAX_PARALLELISM), List.of(first));
        middle.getOrCreateKeyedState(new LongValueStateDescriptor("balance"));
        KeyedStateHandle second = snapshotNow(middle, 2, SnapshotKind.FULL, storage);

        KeyedStateBackend<AccountKeyV2> last = restored(v2, KeyGroupRange.all(MAX_PARALLELISM), List.of(second));
        LongValueState lastBalance = last.getOrCreateKeyedState(new LongValueStateDescriptor("balance"));
        ValueState<String> lastOwner =
                last.getOrCreateKeyedState(new ValueStateDescriptor<>("owner", StringSerializer.INSTANCE));
        for (int i = 0; i < 50; i++) {
            last.setCurrentKey(new AccountKeyV2("acct-" + i, 0));
            assertThat(lastBalance.get()).as("balance %d", i).isEqualTo(i * 10L);
            assertThat(lastOwner.value()).as("owner %d", i).isEqualTo("owner-" + i);
        }
    }

    /** R3: a key-serializer migration that maps two stored keys to one key is refused, naming both stored keys. */
    @Test
    void keyMigrationThatMergesTwoKeysIsRefusedNamingBoth() throws Exception {
        RecordSerializer<AccountKeyV2> v2 = new RecordSerializer<>(AccountKeyV2.class);
        KeyedStateBackend<AccountKeyV2> backend = createBackend(v2, KeyGroupRange.all(MAX_PARALLELISM));
        ValueState<String> owner =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("owner", StringSerializer.INSTANCE));
        AccountKeyV2 deskOne = new AccountKeyV2("acct-7", 1);
        AccountKeyV2 deskTwo = new AccountKeyV2("acct-7", 2);
        backend.setCurrentKey(deskOne);
        owner.update("first");
        backend.setCurrentKey(deskTwo);
        owner.update("second");
        KeyedStateHandle handle = snapshotNow(backend, 1, SnapshotKind.CANONICAL, storage);

        RecordSerializer<AccountKeyV1> v1 = new RecordSerializer<>(AccountKeyV1.class);
        KeyedStateBackend<AccountKeyV1> narrowed = createBackend(v1, KeyGroupRange.all(MAX_PARALLELISM));
        assertThatThrownBy(() -> narrowed.restore(List.of(handle), storage.reader()))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("state=owner")
                .hasMessageContaining("acct-7")
                .hasMessageContaining(hex(v2, deskOne))
                .hasMessageContaining(hex(v2, deskTwo));
    }

    private static <K> String hex(StateSerializer<K> serializer, K key) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        int length = serializer.write(key, buffer, 0);
        StringBuilder text = new StringBuilder("0x");
        for (int i = 0; i < length; i++) {
            text.append(String.format("%02x", buffer.getByte(i)));
        }
        return text.toString();
    }

    /** I3: a key class without a stable hash is refused on its first key, before any state is touched. */
    @Test
    void keyWithoutStableHashIsRefusedOnFirstUse() {
        KeyedStateBackend<IdentityKey> backend =
                createBackend(new IdentityKeySerializer(), KeyGroupRange.all(MAX_PARALLELISM));
        ValueState<String> owner =
                backend.getOrCreateKeyedState(new ValueStateDescriptor<>("owner", StringSerializer.INSTANCE));
        assertThatThrownBy(() -> backend.setCurrentKey(new IdentityKey("acct-1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("keyType=" + IdentityKey.class.getTypeName())
                .hasMessageContaining("does not override hashCode");
        assertThat(backend.currentKey()).isNull();
        assertThatThrownBy(owner::value).isInstanceOf(StateAccessException.class);
    }

    /** I3: a key serializer that reveals an enum, array or enum-holding record key type is refused up front. */
    @Test
    void keySerializerOfAnUnstableKeyTypeIsRefused() {
        assertThatThrownBy(() -> createBackend(
                        new EnumSerializer<>(ConformanceTypes.Desk.class), KeyGroupRange.all(MAX_PARALLELISM)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("enum");
        assertThatThrownBy(() -> createBackend(BytesSerializer.INSTANCE, KeyGroupRange.all(MAX_PARALLELISM)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("array");
    }

    private KeyedStateHandle snapshotPositions() throws Exception {
        KeyedStateBackend<Long> backend = longKeyed();
        ValueState<PositionV1> state = backend.getOrCreateKeyedState(
                new ValueStateDescriptor<>("position", new RecordSerializer<>(PositionV1.class)));
        backend.setCurrentKey(1L);
        state.update(new PositionV1("ACME", 100));
        backend.setCurrentKey(2L);
        state.update(new PositionV1("BOLT", 7));
        return snapshotNow(backend, 1, SnapshotKind.CANONICAL, storage);
    }

    // ---------------------------------------------------------------- helpers

    protected static <D extends io.tidemark.state.StateDescriptor<?, ?>> D ttl(D descriptor, StateTtlConfig config) {
        descriptor.enableTimeToLive(config);
        return descriptor;
    }

    /** A key whose key group is in {@code [from, to]}. */
    protected static long keyInGroups(int from, int to, long start) {
        for (long key = start; ; key++) {
            int group = KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
            if (group >= from && group <= to) {
                return key;
            }
        }
    }

    /** One state of every type with a deterministic value per key and generation. */
    protected static final class AllStates {
        final ValueState<String> value;
        final ListState<Long> list;
        final MapState<String, Long> map;
        final ReducingState<Long> reducing;
        final AggregatingState<Long, Long> aggregating;
        final LongValueState counter;
        final DoubleValueState gauge;

        AllStates(KeyedStateBackend<Long> backend) {
            value = backend.getOrCreateKeyedState(new ValueStateDescriptor<>("value", StringSerializer.INSTANCE));
            list = backend.getOrCreateKeyedState(new ListStateDescriptor<>("list", LongSerializer.INSTANCE));
            map = backend.getOrCreateKeyedState(
                    new MapStateDescriptor<>("map", StringSerializer.INSTANCE, LongSerializer.INSTANCE));
            reducing = backend.getOrCreateKeyedState(
                    new ReducingStateDescriptor<>("reducing", Long::sum, LongSerializer.INSTANCE));
            aggregating = backend.getOrCreateKeyedState(new AggregatingStateDescriptor<>(
                    "aggregating", new MutableSum(), new ListSerializer<>(LongSerializer.INSTANCE)));
            counter = backend.getOrCreateKeyedState(new LongValueStateDescriptor("counter"));
            gauge = backend.getOrCreateKeyedState(new DoubleValueStateDescriptor("gauge"));
        }

        void write(long key, int generation) {
            value.update("v" + key + "g" + generation);
            list.add(key * generation);
            map.put("g" + generation, key);
            reducing.add(key);
            aggregating.add(key + generation);
            counter.add(generation);
            gauge.set(key / 2.0 + generation);
        }

        void clearAll() {
            value.clear();
            list.clear();
            map.clear();
            reducing.clear();
            aggregating.clear();
            counter.clear();
            gauge.clear();
        }

        void verify(long key, int generation, String context) {
            String as = "key " + key + " " + context;
            assertThat(value.value()).as(as).isEqualTo("v" + key + "g" + generation);
            assertThat(list.get()).as(as).containsExactly(key * generation);
            assertThat(map.get("g" + generation)).as(as).isEqualTo(key);
            assertThat(map.keys()).as(as).containsExactly("g" + generation);
            assertThat(reducing.get()).as(as).isEqualTo(key);
            assertThat(aggregating.get()).as(as).isEqualTo(key + generation);
            assertThat(counter.get()).as(as).isEqualTo(generation);
            assertThat(gauge.get()).as(as).isEqualTo(key / 2.0 + generation);
        }

        void verifyAbsent(String context) {
            assertThat(value.value()).as(context).isNull();
            assertThat(list.get()).as(context).isEmpty();
            assertThat(map.isEmpty()).as(context).isTrue();
            assertThat(reducing.get()).as(context).isNull();
            assertThat(aggregating.get()).as(context).isNull();
            assertThat(counter.isPresent()).as(context).isFalse();
            assertThat(gauge.isPresent()).as(context).isFalse();
        }
    }
}

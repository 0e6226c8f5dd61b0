package io.tidemark.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RunnableFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.AbstractStateBackend;
import org.apache.flink.runtime.state.CheckpointStorageLocationReference;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SavepointKeyedStateHandle;
import org.apache.flink.runtime.state.SavepointSnapshotStrategy;
import org.apache.flink.runtime.state.SnapshotExecutionType;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.SnapshotStrategyRunner;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Canonical savepoints move between the Tidemark backend and Flink's heap backend in both directions, rescaled on the
 * way (one task's savepoint restored into two tasks, each owning half the key groups): values, lists and maps in
 * namespaces, and timers. Savepoints are taken the way Flink's operators take them ({@code savepoint()} resources run
 * by a {@link SavepointSnapshotStrategy}).
 */
class TidemarkSavepointCompatibilityTest {
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 200;
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX_PARALLELISM - 1);
    private static final KeyGroupRange LOWER = new KeyGroupRange(0, MAX_PARALLELISM / 2 - 1);
    private static final KeyGroupRange UPPER = new KeyGroupRange(MAX_PARALLELISM / 2, MAX_PARALLELISM - 1);

    private static final ValueStateDescriptor<Long> VALUE =
            new ValueStateDescriptor<>("value", LongSerializer.INSTANCE);
    private static final ListStateDescriptor<String> LIST =
            new ListStateDescriptor<>("list", StringSerializer.INSTANCE);
    private static final MapStateDescriptor<Integer, String> MAP =
            new MapStateDescriptor<>("map", IntSerializer.INSTANCE, StringSerializer.INSTANCE);
    private static final TimerSerializer<Integer, VoidNamespace> TIMERS =
            new TimerSerializer<>(IntSerializer.INSTANCE, VoidNamespaceSerializer.INSTANCE);

    private final MockEnvironment env = MockEnvironment.builder().build();
    private final List<AbstractKeyedStateBackend<?>> backends = new ArrayList<>();

    @AfterEach
    void disposeBackends() throws Exception {
        for (AbstractKeyedStateBackend<?> backend : backends) {
            backend.dispose();
        }
        env.close();
    }

    @Test
    void savepointOfTidemarkRestoresOnHeapBackendRescaled() throws Exception {
        KeyedStateHandle savepoint = savepoint(write(backend(tidemark(), ALL, List.of())));

        assertThat(savepoint).isInstanceOf(SavepointKeyedStateHandle.class);
        verify(backend(new HashMapStateBackend(), LOWER, List.of(savepoint)), LOWER);
        verify(backend(new HashMapStateBackend(), UPPER, List.of(savepoint)), UPPER);
    }

    @Test
    void savepointOfHeapBackendRestoresOnTidemarkRescaled() throws Exception {
        KeyedStateHandle savepoint = savepoint(write(backend(new HashMapStateBackend(), ALL, List.of())));

        verify(backend(tidemark(), LOWER, List.of(savepoint)), LOWER);
        verify(backend(tidemark(), UPPER, List.of(savepoint)), UPPER);
    }

    @Test
    void savepointsOfTwoTidemarkTasksRestoreIntoOne() throws Exception {
        KeyedStateHandle lower = savepoint(write(backend(tidemark(), LOWER, List.of())));
        KeyedStateHandle upper = savepoint(write(backend(tidemark(), UPPER, List.of())));

        verify(backend(tidemark(), ALL, List.of(lower, upper)), ALL);
    }

    private static TidemarkStateBackend tidemark() {
        return new TidemarkStateBackend().withMemoryBudget(org.apache.flink.configuration.MemorySize.ofMebiBytes(4));
    }

    private AbstractKeyedStateBackend<Integer> backend(
            AbstractStateBackend stateBackend, KeyGroupRange range, Collection<KeyedStateHandle> restore)
            throws Exception {
        AbstractKeyedStateBackend<Integer> backend =
                stateBackend.createKeyedStateBackend(new KeyedStateBackendParametersImpl<>(
                        env,
                        new JobID(),
                        "savepoint-compatibility",
                        IntSerializer.INSTANCE,
                        MAX_PARALLELISM,
                        range,
                        env.getTaskKvStateRegistry(),
                        TtlTimeProvider.DEFAULT,
                        new UnregisteredMetricsGroup(),
                        owned(restore, range),
                        new CloseableRegistry()));
        backends.add(backend);
        return backend;
    }

    /** The parts of {@code handles} in {@code range}: what Flink's state assignment hands a task on rescaling. */
    private static List<KeyedStateHandle> owned(Collection<KeyedStateHandle> handles, KeyGroupRange range) {
        List<KeyedStateHandle> owned = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            KeyedStateHandle part = handle.getIntersection(range);
            if (part != null) {
                owned.add(part);
            }
        }
        return owned;
    }

    /** Writes every key of the backend's range: a value, a list per namespace, a map, and a timer. */
    private static AbstractKeyedStateBackend<Integer> write(AbstractKeyedStateBackend<Integer> backend)
            throws Exception {
        KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<Integer, VoidNamespace>> timers =
                backend.create("timers", TIMERS);
        for (int key = 0; key < KEYS; key++) {
            if (!backend.getKeyGroupRange().contains(keyGroup(key))) {
                continue;
            }
            backend.setCurrentKey(key);
            value(backend).update(key * 10L);
            for (String window : List.of("w1", "w2")) {
                ListState<String> list = backend.getPartitionedState(window, StringSerializer.INSTANCE, LIST);
                list.add(window + "-" + key);
                list.add("second-" + key);
            }
            map(backend).put(key, "v" + key);
            map(backend).put(-key - 1, null);
            timers.add(new TimerHeapInternalTimer<>(1000L + key, key, VoidNamespace.INSTANCE));
        }
        return backend;
    }

    /** Checks every key of {@code range} reads back what {@link #write} wrote, and that only those keys exist. */
    private static void verify(AbstractKeyedStateBackend<Integer> backend, KeyGroupRange range) throws Exception {
        KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<Integer, VoidNamespace>> timers =
                backend.create("timers", TIMERS);
        int owned = 0;
        for (int key = 0; key < KEYS; key++) {
            if (!range.contains(keyGroup(key))) {
                continue;
            }
            owned++;
            backend.setCurrentKey(key);
            assertThat(value(backend).value()).isEqualTo(key * 10L);
            for (String window : List.of("w1", "w2")) {
                ListState<String> list = backend.getPartitionedState(window, StringSerializer.INSTANCE, LIST);
                assertThat(list.get()).containsExactly(window + "-" + key, "second-" + key);
            }
            Map<Integer, String> entries = new HashMap<>();
            map(backend).entries().forEach(e -> entries.put(e.getKey(), e.getValue()));
            Map<Integer, String> expected = new HashMap<>();
            expected.put(key, "v" + key);
            expected.put(-key - 1, null);
            assertThat(entries).isEqualTo(expected);
        }
        assertThat(backend.getKeys(VALUE.getName(), VoidNamespace.INSTANCE).count())
                .isEqualTo(owned);
        List<Long> timestamps = new ArrayList<>();
        for (int group = range.getStartKeyGroup(); group <= range.getEndKeyGroup(); group++) {
            for (TimerHeapInternalTimer<Integer, VoidNamespace> timer : timers.getSubsetForKeyGroup(group)) {
                assertThat(keyGroup(timer.getKey())).isEqualTo(group);
                timestamps.add(timer.getTimestamp() - 1000L);
            }
        }
        assertThat(timestamps).hasSize(owned);
        assertThat(timers.peek().getTimestamp() - 1000L)
                .isEqualTo(timestamps.stream().min(Long::compare).get());
    }

    private static ValueState<Long> value(AbstractKeyedStateBackend<Integer> backend) throws Exception {
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUE);
    }

    private static MapState<Integer, String> map(AbstractKeyedStateBackend<Integer> backend) throws Exception {
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, MAP);
    }

    private static int keyGroup(int key) {
        return KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
    }

    /** A canonical savepoint, taken as a Flink operator takes one. */
    private static KeyedStateHandle savepoint(AbstractKeyedStateBackend<Integer> backend) throws Exception {
        SnapshotStrategyRunner<KeyedStateHandle, ?> runner = new SnapshotStrategyRunner<>(
                "savepoint",
                new SavepointSnapshotStrategy<>(backend.savepoint().getSnapshotResources()),
                new CloseableRegistry(),
                SnapshotExecutionType.ASYNCHRONOUS);
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = runner.snapshot(
                1L,
                0L,
                new MemCheckpointStreamFactory(64 * 1024 * 1024),
                new CheckpointOptions(
                        SavepointType.savepoint(SavepointFormatType.CANONICAL),
                        CheckpointStorageLocationReference.getDefault()));
        future.run();
        return future.get().getJobManagerOwnedSnapshot();
    }
}

package io.tidemark.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SharedStateRegistryImpl;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Incremental checkpoints: after a confirmed checkpoint, the next one uploads only what changed and lists the earlier
 * stream as shared state; restoring the latest checkpoint (rescaled, and again after further increments) gives back
 * every value.
 */
class TidemarkIncrementalCheckpointTest {
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 4000;
    private static final KeyGroupRange ALL = new KeyGroupRange(0, MAX_PARALLELISM - 1);
    private static final ValueStateDescriptor<Long> VALUE =
            new ValueStateDescriptor<>("value", LongSerializer.INSTANCE);
    private static final ListStateDescriptor<Long> LIST = new ListStateDescriptor<>("list", LongSerializer.INSTANCE);

    private final MockEnvironment env = MockEnvironment.builder().build();
    private final MemCheckpointStreamFactory streams = new MemCheckpointStreamFactory(64 * 1024 * 1024);
    private final SharedStateRegistryImpl registry = new SharedStateRegistryImpl();
    private final List<AbstractKeyedStateBackend<Integer>> backends = new ArrayList<>();

    @AfterEach
    void dispose() throws Exception {
        for (AbstractKeyedStateBackend<Integer> backend : backends) {
            backend.dispose();
        }
        registry.close();
        env.close();
    }

    @Test
    void aConfirmedCheckpointIsReferencedNotRewrittenAndTheLatestRestoresRescaled() throws Exception {
        AbstractKeyedStateBackend<Integer> backend = backend(ALL, List.of());
        for (int key = 0; key < KEYS; key++) {
            write(backend, key, key);
        }
        IncrementalRemoteKeyedStateHandle first = checkpoint(backend, 1);
        backend.notifyCheckpointComplete(1);

        for (int key = 0; key < 10; key++) {
            write(backend, key, -key);
        }
        IncrementalRemoteKeyedStateHandle second = checkpoint(backend, 2);

        assertThat(paths(second)).containsAll(paths(first));
        assertThat(second.getCheckpointedSize()).isLessThan(first.getCheckpointedSize() / 4);

        KeyGroupRange lower = new KeyGroupRange(0, MAX_PARALLELISM / 2 - 1);
        KeyGroupRange upper = new KeyGroupRange(MAX_PARALLELISM / 2, MAX_PARALLELISM - 1);
        verify(backend(lower, List.of(second.getIntersection(lower))), lower, 10);
        verify(backend(upper, List.of(second.getIntersection(upper))), upper, 10);
    }

    @Test
    void incrementsContinueAfterARestore() throws Exception {
        AbstractKeyedStateBackend<Integer> backend = backend(ALL, List.of());
        for (int key = 0; key < KEYS; key++) {
            write(backend, key, key);
        }
        IncrementalRemoteKeyedStateHandle first = checkpoint(backend, 1);
        backend.notifyCheckpointComplete(1);

        AbstractKeyedStateBackend<Integer> restored = backend(ALL, List.of(first));
        for (int key = 0; key < 20; key++) {
            write(restored, key, -key);
        }
        IncrementalRemoteKeyedStateHandle second = checkpoint(restored, 2);
        restored.notifyCheckpointComplete(2);
        write(restored, 20, -20);
        IncrementalRemoteKeyedStateHandle third = checkpoint(restored, 3);

        // the first checkpoint after a restore stands alone (Flink's NO_CLAIM restore mode), later ones build on it
        assertThat(paths(second)).doesNotContainAnyElementsOf(paths(first));
        assertThat(paths(third)).containsAll(paths(second));
        verify(backend(ALL, List.of(third)), ALL, 21);
    }

    private AbstractKeyedStateBackend<Integer> backend(KeyGroupRange range, Collection<KeyedStateHandle> restore)
            throws Exception {
        AbstractKeyedStateBackend<Integer> backend = new TidemarkStateBackend()
                .withMemoryBudget(MemorySize.ofMebiBytes(4))
                .withIncrementalCheckpoints(true)
                .createKeyedStateBackend(new KeyedStateBackendParametersImpl<>(
                        env,
                        new JobID(),
                        "incremental",
                        IntSerializer.INSTANCE,
                        MAX_PARALLELISM,
                        range,
                        env.getTaskKvStateRegistry(),
                        TtlTimeProvider.DEFAULT,
                        new UnregisteredMetricsGroup(),
                        restore,
                        new CloseableRegistry()));
        backends.add(backend);
        return backend;
    }

    private static void write(AbstractKeyedStateBackend<Integer> backend, int key, long value) throws Exception {
        backend.setCurrentKey(key);
        value(backend).update(value);
        list(backend).add(value);
    }

    /** Keys below {@code updated} hold their negated key (the list both values); the others hold the key. */
    private static void verify(AbstractKeyedStateBackend<Integer> backend, KeyGroupRange range, int updated)
            throws Exception {
        for (int key = 0; key < KEYS; key++) {
            if (!range.contains(KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM))) {
                continue;
            }
            backend.setCurrentKey(key);
            long expected = key < updated ? -key : key;
            assertThat(value(backend).value()).as("key %d", key).isEqualTo(expected);
            List<Long> elements = new ArrayList<>();
            list(backend).get().forEach(elements::add);
            assertThat(elements)
                    .as("key %d", key)
                    .isEqualTo(key < updated ? List.of((long) key, (long) -key) : List.of((long) key));
        }
    }

    private static ValueState<Long> value(AbstractKeyedStateBackend<Integer> backend) throws Exception {
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, VALUE);
    }

    private static ListState<Long> list(AbstractKeyedStateBackend<Integer> backend) throws Exception {
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, LIST);
    }

    private IncrementalRemoteKeyedStateHandle checkpoint(AbstractKeyedStateBackend<Integer> backend, long id)
            throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                backend.snapshot(id, id, streams, CheckpointOptions.forCheckpointWithDefaultLocation());
        future.run();
        KeyedStateHandle handle = future.get().getJobManagerOwnedSnapshot();
        assertThat(handle).isInstanceOf(IncrementalRemoteKeyedStateHandle.class);
        handle.registerSharedStates(registry, id);
        return (IncrementalRemoteKeyedStateHandle) handle;
    }

    private static Set<String> paths(IncrementalRemoteKeyedStateHandle handle) {
        return handle.getSharedState().stream()
                .map(HandleAndLocalPath::getLocalPath)
                .collect(Collectors.toSet());
    }
}

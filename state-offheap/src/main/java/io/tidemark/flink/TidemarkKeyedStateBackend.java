package io.tidemark.flink;

import io.tidemark.backend.NamespacedState;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.State;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Stream;
import javax.annotation.Nonnull;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.SnapshotType;
import org.apache.flink.runtime.query.TaskKvStateRegistry;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.InternalKeyContext;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.Keyed;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.PriorityComparable;
import org.apache.flink.runtime.state.RegisteredKeyValueStateBackendMetaInfo;
import org.apache.flink.runtime.state.RegisteredPriorityQueueStateBackendMetaInfo;
import org.apache.flink.runtime.state.SavepointResources;
import org.apache.flink.runtime.state.SnapshotExecutionType;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.SnapshotStrategyRunner;
import org.apache.flink.runtime.state.StateSnapshotTransformer.StateSnapshotTransformFactory;
import org.apache.flink.runtime.state.StreamCompressionDecorator;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueElement;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSet;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSetFactory;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.util.FileUtils;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.StateMigrationException;

/**
 * Flink's keyed state backend on Tidemark's off-heap store ({@code io.tidemark.state.offheap}): every Flink state is
 * one store state (value, list or map) holding Flink's serialized namespaces, values, elements and user keys, under the
 * key object itself, so the store assigns each key the key group Flink does.
 *
 * <h2>Snapshots</h2>
 *
 * Checkpoints and savepoints are both written in Flink's canonical full-snapshot format ({@link TidemarkSnapshots}) as
 * key-group handles with per-key-group offsets: Flink's coordinator registers and discards them, rescaling reads only
 * the key groups a task owns, and savepoints are the format Flink's other backends read and write.
 * The synchronous part is the store's page snapshot (constant time) and a copy of the timers; the asynchronous part
 * reads the page snapshot.
 *
 * <h2>Keys</h2>
 *
 * Key types need a {@code hashCode()} that is the same in every JVM (the store refuses enums, arrays and classes
 * without their own {@code hashCode()}, naming the type, as Flink refuses them at {@code keyBy}); a serialized key
 * with its namespace, and a map user key, are limited to {@link TidemarkOptions#MAX_KEY_BYTES}.
 *
 * <h2>Timers</h2>
 *
 * Flink's heap priority queues (timers are few and hot), copied in each snapshot's synchronous part and written with
 * the keyed state as Flink's canonical priority-queue states, so they rescale and move to other backends with it.
 *
 * <h2>Threads</h2>
 *
 * The task thread calls everything; each snapshot's asynchronous part runs on one snapshot thread.
 */
public final class TidemarkKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
    /** Flink's identifier of this backend type (metrics, logs, savepoint metadata). */
    public static final String BACKEND_TYPE = "tidemark";

    private final io.tidemark.backend.KeyedStateBackend<K> store;
    private final Path workingDirectory;
    private final HeapPriorityQueueSetFactory priorityQueues;
    private final SnapshotStrategyRunner<KeyedStateHandle, TidemarkSnapshots.Resources<K>> checkpointRunner;
    private final TidemarkSnapshots<K> snapshots;
    private final int keyGroupPrefixBytes;

    /** The states registered, in registration order (their index is their id in snapshots). */
    private final Map<String, Registered> states = new LinkedHashMap<>();
    /** Meta data of restored states, consulted when a state of that name is registered. */
    private final Map<String, StateMetaInfoSnapshot> restoredMeta = new LinkedHashMap<>();

    /** Timer queues by name: Flink's heap queues with their meta info (element serializer) for snapshots. */
    private final Map<String, Queue<?>> queues = new LinkedHashMap<>();

    private boolean disposed;

    /** One timer queue and its meta info. */
    static final class Queue<T extends HeapPriorityQueueElement & PriorityComparable<? super T> & Keyed<?>> {
        final RegisteredPriorityQueueStateBackendMetaInfo<T> meta;
        final HeapPriorityQueueSet<T> set;

        Queue(RegisteredPriorityQueueStateBackendMetaInfo<T> meta, HeapPriorityQueueSet<T> set) {
            this.meta = meta;
            this.set = set;
        }
    }

    /** One registered state: Flink's meta info (serializers) and the store state holding its entries. */
    static final class Registered {
        final RegisteredKeyValueStateBackendMetaInfo<?, ?> meta;
        final State store;

        Registered(RegisteredKeyValueStateBackendMetaInfo<?, ?> meta, State store) {
            this.meta = meta;
            this.store = store;
        }
    }

    TidemarkKeyedStateBackend(
            TaskKvStateRegistry kvStateRegistry,
            TypeSerializer<K> keySerializer,
            ClassLoader userCodeClassLoader,
            ExecutionConfig executionConfig,
            TtlTimeProvider ttlTimeProvider,
            LatencyTrackingStateConfig latencyTrackingStateConfig,
            SizeTrackingStateConfig sizeTrackingStateConfig,
            CloseableRegistry cancelStreamRegistry,
            StreamCompressionDecorator compressionDecorator,
            InternalKeyContext<K> keyContext,
            io.tidemark.backend.KeyedStateBackend<K> store,
            Path workingDirectory,
            HeapPriorityQueueSetFactory priorityQueues) {
        super(
                kvStateRegistry,
                keySerializer,
                userCodeClassLoader,
                executionConfig,
                ttlTimeProvider,
                latencyTrackingStateConfig,
                sizeTrackingStateConfig,
                cancelStreamRegistry,
                compressionDecorator,
                keyContext);
        this.store = store;
        this.workingDirectory = workingDirectory;
        this.priorityQueues = priorityQueues;
        this.keyGroupPrefixBytes =
                org.apache.flink.runtime.state.CompositeKeySerializationUtils.computeRequiredBytesInKeyGroupPrefix(
                        numberOfKeyGroups);
        this.snapshots = new TidemarkSnapshots<>(this, workingDirectory.resolve("snapshots"));
        this.checkpointRunner = new SnapshotStrategyRunner<>(
                "Tidemark full snapshot", snapshots, cancelStreamRegistry, SnapshotExecutionType.ASYNCHRONOUS);
    }

    // ---- keys ----

    @Override
    public void setCurrentKey(K newKey) {
        super.setCurrentKey(newKey);
        store.setCurrentKey(newKey);
    }

    @Override
    public void setCurrentKeyAndKeyGroup(K newKey, int keyGroupIndex) {
        super.setCurrentKeyAndKeyGroup(newKey, keyGroupIndex);
        store.setCurrentKey(newKey);
    }

    /** Runs {@code action} with {@code key} current in the store, then makes the previous key current again. */
    <R> R withKey(K key, Callable<R> action) throws Exception {
        K previous = store.currentKey();
        store.setCurrentKey(key);
        try {
            return action.call();
        } finally {
            if (previous != null) {
                store.setCurrentKey(previous);
            }
        }
    }

    // ---- states ----

    @Override
    @Nonnull
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <N, SV, SEV, S extends org.apache.flink.api.common.state.State, IS extends S> IS createOrUpdateInternalState(
            @Nonnull TypeSerializer<N> namespaceSerializer,
            @Nonnull StateDescriptor<S, SV> descriptor,
            @Nonnull StateSnapshotTransformFactory<SEV> snapshotTransformFactory)
            throws Exception {
        String name = descriptor.getName();
        Registered registered = states.get(name);
        RegisteredKeyValueStateBackendMetaInfo<N, SV> meta;
        StateMetaInfoSnapshot restored = registered == null ? restoredMeta.get(name) : null;
        if (registered == null && restored == null) {
            meta = new RegisteredKeyValueStateBackendMetaInfo<>(
                    descriptor.getType(), name, namespaceSerializer, descriptor.getSerializer());
            registered = new Registered(meta, storeState(name, descriptor.getType()));
            states.put(name, registered);
        } else {
            meta = registered == null
                    ? new RegisteredKeyValueStateBackendMetaInfo<>(restored)
                    : (RegisteredKeyValueStateBackendMetaInfo<N, SV>) registered.meta;
            checkType(name, meta.getStateType(), descriptor.getType());
            TypeSerializerSchemaCompatibility<N> namespaces = meta.updateNamespaceSerializer(namespaceSerializer);
            if (!namespaces.isCompatibleAsIs() && !namespaces.isCompatibleWithReconfiguredSerializer()) {
                throw new StateMigrationException("the new namespace serializer of state '" + name + "' is "
                        + (namespaces.isIncompatible() ? "incompatible" : "only compatible after a migration")
                        + ": namespaces are part of the stored keys, which are not migrated");
            }
            TypeSerializer<SV> previous = meta.getStateSerializer();
            TypeSerializerSchemaCompatibility<SV> values = meta.updateStateSerializer(descriptor.getSerializer());
            if (values.isIncompatible()) {
                throw new StateMigrationException("the new value serializer of state '" + name
                        + "' is incompatible with the one its stored bytes were written with");
            }
            if (registered == null) {
                registered = new Registered(meta, storeState(name, descriptor.getType()));
                states.put(name, registered);
            }
            if (values.isCompatibleAfterMigration()) {
                migrate(
                        registered,
                        restored != null ? meta.getPreviousStateSerializer() : previous,
                        meta.getStateSerializer());
            }
        }
        // the meta info's serializers: a restored state's may be reconfigured to read the stored bytes
        TypeSerializer<SV> valueSerializer = (TypeSerializer<SV>) registered.meta.getStateSerializer();
        TypeSerializer<N> stateNamespaceSerializer = (TypeSerializer<N>) registered.meta.getNamespaceSerializer();
        State storeState = registered.store;
        return (IS)
                switch (descriptor.getType()) {
                    case VALUE ->
                        new TidemarkValueState<>(
                                this,
                                name,
                                (ValueState<byte[]>) storeState,
                                stateNamespaceSerializer,
                                valueSerializer,
                                ((org.apache.flink.api.common.state.ValueStateDescriptor<SV>) descriptor)
                                        .getDefaultValue());
                    case LIST ->
                        new TidemarkListState<>(
                                this, name, (ListState<byte[]>) storeState, stateNamespaceSerializer, (TypeSerializer)
                                        valueSerializer);
                    case MAP ->
                        new TidemarkMapState<>(
                                this,
                                name,
                                (MapState<byte[], byte[]>) storeState,
                                stateNamespaceSerializer,
                                (TypeSerializer) valueSerializer);
                    case REDUCING ->
                        new TidemarkReducingState<>(
                                this,
                                name,
                                (ValueState<byte[]>) storeState,
                                stateNamespaceSerializer,
                                valueSerializer,
                                ((ReducingStateDescriptor<SV>) descriptor).getReduceFunction());
                    case AGGREGATING ->
                        new TidemarkAggregatingState<>(
                                this,
                                name,
                                (ValueState<byte[]>) storeState,
                                stateNamespaceSerializer,
                                valueSerializer,
                                ((AggregatingStateDescriptor) descriptor).getAggregateFunction());
                    default ->
                        throw new UnsupportedOperationException("state type " + descriptor.getType()
                                + " not supported by the Tidemark backend: state '" + name + "'");
                };
    }

    private static void checkType(String name, StateDescriptor.Type stored, StateDescriptor.Type requested)
            throws StateMigrationException {
        if (stored != requested) {
            throw new StateMigrationException(
                    "state '" + name + "' was a " + stored + " state and is now asked for as a " + requested
                            + " state; the Tidemark backend cannot change a state's type");
        }
    }

    /**
     * Rewrites every entry of a state from the bytes of {@code previous} to those of {@code current} (values, list
     * elements, map user keys and values), walking the entries of a store snapshot taken now.
     */
    @SuppressWarnings("unchecked")
    private void migrate(Registered registered, TypeSerializer<?> previous, TypeSerializer<?> current)
            throws Exception {
        String name = registered.meta.getName();
        List<byte[][]> entries = new ArrayList<>();
        snapshots.forEachEntry(name, (key, namespace) -> entries.add(new byte[][] {key, namespace}));
        StateMigration migration = new StateMigration(name, registered.store, previous, current, ttlTimeProvider);
        for (byte[][] entry : entries) {
            withKey(deserialize(entry[0], keySerializer), () -> {
                ((NamespacedState<byte[]>) registered.store).setCurrentNamespace(entry[1]);
                migration.migrateCurrent();
                return null;
            });
        }
    }

    /** The store state of {@code name}, created on first use: value-shaped Flink states share the value type. */
    State storeState(String name, StateDescriptor.Type type) {
        return switch (type) {
            case VALUE, REDUCING, AGGREGATING ->
                store.getOrCreateKeyedState(
                        BytesSerializer.INSTANCE, new ValueStateDescriptor<>(name, BytesSerializer.INSTANCE));
            case LIST ->
                store.getOrCreateKeyedState(
                        BytesSerializer.INSTANCE, new ListStateDescriptor<>(name, BytesSerializer.INSTANCE));
            case MAP ->
                store.getOrCreateKeyedState(
                        BytesSerializer.INSTANCE,
                        new MapStateDescriptor<>(name, BytesSerializer.INSTANCE, BytesSerializer.INSTANCE));
            default ->
                throw new UnsupportedOperationException(
                        "state type " + type + " not supported by the Tidemark backend: state '" + name + "'");
        };
    }

    /** True when the store's current key has an entry of {@code storeState} in {@code namespace}. */
    @SuppressWarnings("unchecked")
    private static boolean hasEntry(State storeState, byte[] namespace) {
        ((NamespacedState<byte[]>) storeState).setCurrentNamespace(namespace);
        if (storeState instanceof ValueState<?> value) {
            return value.value() != null;
        }
        if (storeState instanceof ListState<?> list) {
            Iterable<?> elements = list.get();
            return elements != null && elements.iterator().hasNext();
        }
        return !((MapState<?, ?>) storeState).isEmpty();
    }

    /** The namespace serializer of a registered or restored state; null when there is no such state. */
    private TypeSerializer<?> namespaceSerializerOf(String state) {
        Registered registered = states.get(state);
        if (registered != null) {
            return registered.meta.getNamespaceSerializer();
        }
        StateMetaInfoSnapshot restored = restoredMeta.get(state);
        return restored == null ? null : TidemarkRestore.namespaceSerializerOf(restored);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N> Stream<K> getKeys(String state, N namespace) {
        TypeSerializer<N> namespaceSerializer = (TypeSerializer<N>) namespaceSerializerOf(state);
        if (namespaceSerializer == null) {
            return Stream.empty();
        }
        State storeState = states.containsKey(state)
                ? states.get(state).store
                : storeState(state, TidemarkRestore.stateType(restoredMeta.get(state)));
        byte[] serializedNamespace = serialize(namespace, namespaceSerializer);
        List<K> candidates = new ArrayList<>();
        store.forEachKey(state, candidates::add);
        List<K> keys = new ArrayList<>();
        for (K key : candidates) {
            try {
                if (withKey(key, () -> hasEntry(storeState, serializedNamespace))) {
                    keys.add(key);
                }
            } catch (Exception e) {
                throw new TidemarkStateException("cannot read the keys of state '" + state + "'", e);
            }
        }
        return keys.stream();
    }

    @Override
    public <N> Stream<K> getKeys(List<String> states, N namespace) {
        return states.stream().flatMap(state -> getKeys(state, namespace)).distinct();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N> Stream<Tuple2<K, N>> getKeysAndNamespaces(String state) {
        TypeSerializer<N> namespaceSerializer = (TypeSerializer<N>) namespaceSerializerOf(state);
        if (namespaceSerializer == null) {
            return Stream.empty();
        }
        List<Tuple2<K, N>> pairs = new ArrayList<>();
        snapshots.forEachEntry(
                state,
                (key, namespace) -> pairs.add(
                        Tuple2.of(deserialize(key, keySerializer), deserialize(namespace, namespaceSerializer))));
        return pairs.stream();
    }

    static <T> byte[] serialize(T value, TypeSerializer<T> serializer) {
        org.apache.flink.core.memory.DataOutputSerializer out =
                new org.apache.flink.core.memory.DataOutputSerializer(32);
        try {
            serializer.serialize(value, out);
        } catch (IOException e) {
            throw new TidemarkStateException("cannot serialize " + value + " with " + serializer, e);
        }
        return out.getCopyOfBuffer();
    }

    static <T> T deserialize(byte[] bytes, TypeSerializer<T> serializer) {
        try {
            return serializer.deserialize(new org.apache.flink.core.memory.DataInputDeserializer(bytes));
        } catch (IOException e) {
            throw new TidemarkStateException("cannot deserialize " + bytes.length + " bytes with " + serializer, e);
        }
    }

    // ---- timers ----

    @Nonnull
    @Override
    @SuppressWarnings("unchecked")
    public <T extends HeapPriorityQueueElement & PriorityComparable<? super T> & Keyed<?>>
            KeyGroupedInternalPriorityQueue<T> create(
                    @Nonnull String stateName, @Nonnull TypeSerializer<T> byteOrderedElementSerializer) {
        Queue<T> existing = (Queue<T>) queues.get(stateName);
        if (existing != null) {
            TypeSerializerSchemaCompatibility<T> compatibility =
                    existing.meta.updateElementSerializer(byteOrderedElementSerializer);
            if (!compatibility.isCompatibleAsIs() && !compatibility.isCompatibleWithReconfiguredSerializer()) {
                throw new FlinkRuntimeException(new StateMigrationException("the new element serializer of timer"
                        + " queue '" + stateName + "' is "
                        + (compatibility.isIncompatible() ? "incompatible" : "only compatible after a migration")
                        + " with the one its elements were written with; timers are not migrated"));
            }
            return existing.set;
        }
        HeapPriorityQueueSet<T> set = priorityQueues.create(stateName, byteOrderedElementSerializer);
        queues.put(
                stateName,
                new Queue<>(
                        new RegisteredPriorityQueueStateBackendMetaInfo<>(stateName, byteOrderedElementSerializer),
                        set));
        return set;
    }

    /** The queue of a restored timer state, created with the serializer its snapshot was written with. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    HeapPriorityQueueSet<?> restoreQueue(StateMetaInfoSnapshot snapshot) {
        Queue<?> existing = queues.get(snapshot.getName());
        if (existing != null) {
            return existing.set;
        }
        RegisteredPriorityQueueStateBackendMetaInfo meta = new RegisteredPriorityQueueStateBackendMetaInfo<>(snapshot);
        HeapPriorityQueueSet set = priorityQueues.create(snapshot.getName(), meta.getElementSerializer());
        queues.put(snapshot.getName(), new Queue(meta, set));
        return set;
    }

    /** The element serializer of timer queue {@code name}. */
    @SuppressWarnings("unchecked")
    TypeSerializer<Object> queueElementSerializer(String name) {
        return (TypeSerializer<Object>) queues.get(name).meta.getElementSerializer();
    }

    Map<String, Queue<?>> queues() {
        return queues;
    }

    /** Timers are snapshotted with the keyed state, in checkpoints and savepoints alike. */
    @Override
    public boolean requiresLegacySynchronousTimerSnapshots(SnapshotType checkpointType) {
        return false;
    }

    // ---- snapshots ----

    @Nonnull
    @Override
    public RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(
            long checkpointId,
            long timestamp,
            @Nonnull CheckpointStreamFactory streamFactory,
            @Nonnull CheckpointOptions checkpointOptions)
            throws Exception {
        return checkpointRunner.snapshot(checkpointId, timestamp, streamFactory, checkpointOptions);
    }

    @Nonnull
    @Override
    public SavepointResources<K> savepoint() throws Exception {
        return new SavepointResources<>(snapshots.syncPrepareResources(0L), SnapshotExecutionType.ASYNCHRONOUS);
    }

    /** Nothing to do: full snapshots share no files between checkpoints. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {}

    /** Nothing to do: full snapshots share no files between checkpoints. */
    @Override
    public void notifyCheckpointAborted(long checkpointId) {}

    @Override
    public boolean isSafeToReuseKVState() {
        return true;
    }

    @Override
    public String getBackendTypeIdentifier() {
        return BACKEND_TYPE;
    }

    /** The (key, namespace) entries of all states, counted on a store snapshot taken now: for tests and tools. */
    @Override
    public int numKeyValueStateEntries() {
        int[] count = {0};
        snapshots.forEachEntry(null, (key, namespace) -> count[0]++);
        return count[0];
    }

    // ---- for snapshots and restore ----

    io.tidemark.backend.KeyedStateBackend<K> store() {
        return store;
    }

    Map<String, Registered> states() {
        return states;
    }

    Map<String, StateMetaInfoSnapshot> restoredMeta() {
        return restoredMeta;
    }

    int keyGroupPrefixBytes() {
        return keyGroupPrefixBytes;
    }

    StreamCompressionDecorator compression() {
        return keyGroupCompressionDecorator;
    }

    ClassLoader classLoader() {
        return userCodeClassLoader;
    }

    @Override
    public void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        super.dispose();
        store.close();
        try {
            FileUtils.deleteDirectory(workingDirectory.toFile());
        } catch (IOException e) {
            throw new TidemarkStateException("cannot delete the working directory " + workingDirectory, e);
        }
    }
}

package io.tidemark.flink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.Keyed;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.ListDelimitedSerializer;
import org.apache.flink.runtime.state.RegisteredPriorityQueueStateBackendMetaInfo;
import org.apache.flink.runtime.state.StateSerializerProvider;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueElement;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSet;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.restore.FullSnapshotRestoreOperation;
import org.apache.flink.runtime.state.restore.KeyGroup;
import org.apache.flink.runtime.state.restore.KeyGroupEntry;
import org.apache.flink.runtime.state.restore.SavepointRestoreResult;
import org.apache.flink.runtime.state.restore.ThrowingIterator;
import org.apache.flink.util.StateMigrationException;

/**
 * Loads Flink full snapshots (this backend's checkpoints, any backend's canonical savepoints) into the store, reading
 * only the key groups of the new backend's range from any number of handles (rescaling).
 *
 * <p>Opened before the backend exists: Flink's {@link FullSnapshotRestoreOperation} checks the key serializer against
 * the first handle's and may hand back a reconfigured one, which the backend and its store are then built with.
 * Entries are split back into key, namespace and user key and written to the store states; timers (priority-queue
 * states) go into Flink's heap queues.
 */
final class TidemarkRestore<K> implements AutoCloseable {
    private final StateSerializerProvider<K> keys;
    private final ThrowingIterator<SavepointRestoreResult> results;
    private SavepointRestoreResult first;

    /** The incremental checkpoints to restore, their meta streams read. */
    private final List<IncrementalPart> incremental;

    /** One incremental checkpoint handle and what its meta stream holds. */
    private record IncrementalPart(
            IncrementalRemoteKeyedStateHandle handle,
            List<StateMetaInfoSnapshot> metas,
            Map<String, List<Object>> timers,
            io.tidemark.backend.snapshot.KeyedStateHandle storeHandle) {}

    private TidemarkRestore(
            StateSerializerProvider<K> keys,
            ThrowingIterator<SavepointRestoreResult> results,
            List<IncrementalPart> incremental)
            throws Exception {
        this.keys = keys;
        this.results = results;
        this.incremental = incremental;
        this.first = results != null && results.hasNext() ? results.next() : null;
    }

    /**
     * Opens the handles and reads the first one's meta data (every meta stream for incremental checkpoints).
     *
     * @throws IllegalStateException naming the handle type when a handle is neither a full (key-group) snapshot nor
     *     this backend's incremental checkpoint, or when both kinds are mixed
     * @throws org.apache.flink.util.StateMigrationException if the key serializer cannot read the stored keys
     */
    static <K> TidemarkRestore<K> open(
            KeyGroupRange range,
            ClassLoader classLoader,
            Collection<KeyedStateHandle> handles,
            TypeSerializer<K> keySerializer)
            throws Exception {
        List<KeyedStateHandle> present = new ArrayList<>();
        List<IncrementalRemoteKeyedStateHandle> increments = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            if (handle == null) {
                continue;
            }
            // Flink's assignment hands a task only its key groups; intersecting again makes any handle list safe
            KeyedStateHandle owned = handle.getIntersection(range);
            if (owned instanceof KeyGroupsStateHandle) {
                present.add(owned);
            } else if (owned instanceof IncrementalRemoteKeyedStateHandle increment) {
                increments.add(increment);
            } else if (owned != null) {
                throw new IllegalStateException("the Tidemark backend restores Flink full snapshots, canonical"
                        + " savepoints and its own incremental checkpoints; got "
                        + handle.getClass().getName()
                        + " (a native checkpoint of another backend): restore from a canonical savepoint instead");
            }
        }
        if (!present.isEmpty() && !increments.isEmpty()) {
            throw new IllegalStateException("full snapshots and incremental checkpoints mixed in one restore: "
                    + present.size() + " full, " + increments.size() + " incremental");
        }
        StateSerializerProvider<K> keys = StateSerializerProvider.fromNewRegisteredSerializer(keySerializer);
        if (!increments.isEmpty()) {
            List<IncrementalPart> parts = new ArrayList<>();
            for (IncrementalRemoteKeyedStateHandle increment : increments) {
                parts.add(readMeta(increment, classLoader, keys, parts.isEmpty()));
            }
            return new TidemarkRestore<>(keys, null, parts);
        }
        if (present.isEmpty()) {
            return new TidemarkRestore<>(keys, null, List.of());
        }
        return new TidemarkRestore<>(
                keys, new FullSnapshotRestoreOperation<>(range, classLoader, present, keys).restore(), List.of());
    }

    /** Reads an incremental checkpoint's meta stream; the first one's key serializer is checked. */
    private static <K> IncrementalPart readMeta(
            IncrementalRemoteKeyedStateHandle handle,
            ClassLoader classLoader,
            StateSerializerProvider<K> keys,
            boolean checkKeys)
            throws Exception {
        try (FSDataInputStream stream = handle.getMetaDataStateHandle().openInputStream()) {
            DataInputViewStreamWrapper in = new DataInputViewStreamWrapper(stream);
            IncrementalMeta.readHeader(in);
            KeyedBackendSerializationProxy<K> proxy = new KeyedBackendSerializationProxy<>(classLoader);
            proxy.read(in);
            if (checkKeys) {
                TypeSerializerSchemaCompatibility<K> compatibility =
                        keys.setPreviousSerializerSnapshotForRestoredState(proxy.getKeySerializerSnapshot());
                if (!compatibility.isCompatibleAsIs() && !compatibility.isCompatibleWithReconfiguredSerializer()) {
                    throw new StateMigrationException("the new key serializer is "
                            + (compatibility.isIncompatible() ? "incompatible" : "only compatible after a migration")
                            + " with the one the checkpoint's keys were written with; keys are not migrated");
                }
            }
            Map<String, List<Object>> timers = new HashMap<>();
            for (StateMetaInfoSnapshot meta : proxy.getStateMetaInfoSnapshots()) {
                if (meta.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.PRIORITY_QUEUE) {
                    TypeSerializer<?> elements =
                            new RegisteredPriorityQueueStateBackendMetaInfo<>(meta).getElementSerializer();
                    int count = in.readInt();
                    List<Object> read = new ArrayList<>(Math.max(0, Math.min(count, 1 << 20)));
                    for (int i = 0; i < count; i++) {
                        read.add(elements.deserialize(in));
                    }
                    timers.put(meta.getName(), read);
                }
            }
            return new IncrementalPart(
                    handle, proxy.getStateMetaInfoSnapshots(), timers, IncrementalMeta.readStoreHandle(in));
        }
    }

    /** The key serializer to run with: the registered one, reconfigured if the snapshot asked for it. */
    TypeSerializer<K> keySerializer() {
        return keys.currentSchemaSerializer();
    }

    /** Writes every entry of the handles' key groups in the backend's range into {@code backend}. */
    void loadInto(TidemarkKeyedStateBackend<K> backend) throws Exception {
        if (!incremental.isEmpty()) {
            loadIncremental(backend);
            return;
        }
        while (first != null) {
            load(first, backend);
            first = results.hasNext() ? results.next() : null;
        }
    }

    private void load(SavepointRestoreResult result, TidemarkKeyedStateBackend<K> backend) throws Exception {
        TypeSerializer<K> storedKeys = keys.previousSchemaSerializer();
        List<Target> targets = new ArrayList<>();
        for (StateMetaInfoSnapshot meta : result.getStateMetaInfoSnapshots()) {
            targets.add(target(meta, storedKeys, backend));
        }
        try (ThrowingIterator<KeyGroup> groups = result.getRestoredKeyGroups()) {
            while (groups.hasNext()) {
                KeyGroup group = groups.next();
                try (ThrowingIterator<KeyGroupEntry> entries = group.getKeyGroupEntries()) {
                    while (entries.hasNext()) {
                        KeyGroupEntry entry = entries.next();
                        write(targets.get(entry.getKvStateId()), storedKeys, entry, backend);
                    }
                }
            }
        }
    }

    /**
     * Incremental checkpoints restore natively: the store reads its own handles from the checkpoints' streams (only
     * the key groups it owns); timers of the owned key groups go into the heap queues.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void loadIncremental(TidemarkKeyedStateBackend<K> backend) {
        List<io.tidemark.backend.snapshot.KeyedStateHandle> storeHandles = new ArrayList<>();
        for (IncrementalPart part : incremental) {
            for (StateMetaInfoSnapshot meta : part.metas()) {
                if (meta.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.PRIORITY_QUEUE) {
                    HeapPriorityQueueSet queue = backend.restoreQueue(meta);
                    for (Object timer : part.timers().get(meta.getName())) {
                        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(
                                ((Keyed<?>) timer).getKey(), backend.getNumberOfKeyGroups());
                        if (backend.getKeyGroupRange().contains(keyGroup)) {
                            queue.add((HeapPriorityQueueElement) timer);
                        }
                    }
                } else {
                    backend.restoredMeta().putIfAbsent(meta.getName(), meta);
                }
            }
            for (HandleAndLocalPath stream : part.handle().getSharedState()) {
                backend.flinkStreams().register(stream.getLocalPath(), stream.getHandle());
            }
            for (HandleAndLocalPath stream : part.handle().getPrivateState()) {
                backend.flinkStreams().register(stream.getLocalPath(), stream.getHandle());
            }
            storeHandles.add(part.storeHandle());
        }
        backend.store().restore(storeHandles, backend.flinkStreams());
        for (StateMetaInfoSnapshot meta : backend.restoredMeta().values()) {
            backend.storeState(meta.getName(), stateType(meta));
        }
    }

    /** Where a restored state's entries go and what splitting them needs. */
    private record Target(
            io.tidemark.state.State store,
            HeapPriorityQueueSet<?> queue,
            TypeSerializer<Object> namespaceSerializer,
            TypeSerializer<Object> elementSerializer,
            boolean ambiguous) {}

    @SuppressWarnings("unchecked")
    private static <K> Target target(
            StateMetaInfoSnapshot meta, TypeSerializer<K> storedKeys, TidemarkKeyedStateBackend<K> backend) {
        if (meta.getBackendStateType() == StateMetaInfoSnapshot.BackendStateType.PRIORITY_QUEUE) {
            HeapPriorityQueueSet<?> queue = backend.restoreQueue(meta);
            return new Target(null, queue, null, backend.queueElementSerializer(meta.getName()), false);
        }
        if (meta.getBackendStateType() != StateMetaInfoSnapshot.BackendStateType.KEY_VALUE) {
            throw new IllegalStateException("state '" + meta.getName() + "' of type " + meta.getBackendStateType()
                    + " is not keyed state: the Tidemark keyed backend cannot restore it");
        }
        backend.restoredMeta().putIfAbsent(meta.getName(), meta);
        StateDescriptor.Type type = stateType(meta);
        TypeSerializer<Object> namespaceSerializer = namespaceSerializerOf(meta);
        TypeSerializer<Object> elementSerializer = null;
        if (type == StateDescriptor.Type.LIST) {
            elementSerializer =
                    ((ListSerializer<Object>) (TypeSerializer<?>) valueSerializerOf(meta)).getElementSerializer();
        }
        return new Target(
                backend.storeState(meta.getName(), type),
                null,
                namespaceSerializer,
                elementSerializer,
                CompositeKeySerializationUtils.isAmbiguousKeyPossible(storedKeys, namespaceSerializer));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <K> void write(
            Target target, TypeSerializer<K> storedKeys, KeyGroupEntry entry, TidemarkKeyedStateBackend<K> backend)
            throws IOException {
        byte[] composite = entry.getKey();
        DataInputDeserializer in = new DataInputDeserializer(composite);
        CompositeKeySerializationUtils.readKeyGroup(backend.keyGroupPrefixBytes(), in);
        if (target.queue() != null) {
            ((HeapPriorityQueueSet) target.queue())
                    .add((HeapPriorityQueueElement) target.elementSerializer().deserialize(in));
            return;
        }
        K key = CompositeKeySerializationUtils.readKey(storedKeys, in, target.ambiguous());
        int namespaceStart = in.getPosition();
        target.namespaceSerializer().deserialize(in);
        int namespaceEnd = in.getPosition();
        if (target.ambiguous()) {
            CompositeKeySerializationUtils.readVariableIntBytes(in, namespaceEnd - namespaceStart);
        }
        byte[] namespace = Arrays.copyOfRange(composite, namespaceStart, namespaceEnd);
        backend.store().setCurrentKey(key);
        ((io.tidemark.backend.NamespacedState<byte[]>) target.store()).setCurrentNamespace(namespace);
        byte[] value = entry.getValue();
        if (target.store() instanceof io.tidemark.state.MapState<?, ?> map) {
            byte[] userKey = Arrays.copyOfRange(composite, in.getPosition(), composite.length);
            ((io.tidemark.state.MapState<byte[], byte[]>) map).put(userKey, value);
        } else if (target.store() instanceof io.tidemark.state.ListState<?> list) {
            ((io.tidemark.state.ListState<byte[]>) list).addAll(split(value, target.elementSerializer()));
        } else {
            ((io.tidemark.state.ValueState<byte[]>) target.store()).update(value);
        }
    }

    /** Splits Flink's delimited list form into its serialized elements (the element serializer finds the ends). */
    private static List<byte[]> split(byte[] delimited, TypeSerializer<Object> elementSerializer) throws IOException {
        List<byte[]> elements = new ArrayList<>();
        DataInputDeserializer in = new DataInputDeserializer(delimited);
        while (in.available() > 0) {
            int start = in.getPosition();
            ListDelimitedSerializer.deserializeNextElement(in, elementSerializer);
            int end = in.getPosition();
            if (in.available() > 0) {
                end--; // the delimiter after the element, consumed with it
            }
            elements.add(Arrays.copyOfRange(delimited, start, end));
        }
        return elements;
    }

    static StateDescriptor.Type stateType(StateMetaInfoSnapshot meta) {
        return StateDescriptor.Type.valueOf(meta.getOption(StateMetaInfoSnapshot.CommonOptionsKeys.KEYED_STATE_TYPE));
    }

    @SuppressWarnings("unchecked")
    static TypeSerializer<Object> namespaceSerializerOf(StateMetaInfoSnapshot meta) {
        return (TypeSerializer<Object>)
                meta.getTypeSerializerSnapshot(StateMetaInfoSnapshot.CommonSerializerKeys.NAMESPACE_SERIALIZER)
                        .restoreSerializer();
    }

    @SuppressWarnings("unchecked")
    static TypeSerializer<Object> valueSerializerOf(StateMetaInfoSnapshot meta) {
        return (TypeSerializer<Object>)
                meta.getTypeSerializerSnapshot(StateMetaInfoSnapshot.CommonSerializerKeys.VALUE_SERIALIZER)
                        .restoreSerializer();
    }

    @Override
    public void close() throws IOException {
        if (results != null) {
            results.close();
        }
    }
}

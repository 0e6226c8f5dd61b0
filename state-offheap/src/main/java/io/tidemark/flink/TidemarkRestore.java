package io.tidemark.flink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.ListDelimitedSerializer;
import org.apache.flink.runtime.state.StateSerializerProvider;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueElement;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSet;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.restore.FullSnapshotRestoreOperation;
import org.apache.flink.runtime.state.restore.KeyGroup;
import org.apache.flink.runtime.state.restore.KeyGroupEntry;
import org.apache.flink.runtime.state.restore.SavepointRestoreResult;
import org.apache.flink.runtime.state.restore.ThrowingIterator;

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

    private TidemarkRestore(StateSerializerProvider<K> keys, ThrowingIterator<SavepointRestoreResult> results)
            throws Exception {
        this.keys = keys;
        this.results = results;
        this.first = results != null && results.hasNext() ? results.next() : null;
    }

    /**
     * Opens the handles and reads the first one's meta data.
     *
     * @throws IllegalStateException naming the handle type when a handle is not a full (key-group) snapshot
     * @throws org.apache.flink.util.StateMigrationException if the key serializer cannot read the stored keys
     */
    static <K> TidemarkRestore<K> open(
            KeyGroupRange range,
            ClassLoader classLoader,
            Collection<KeyedStateHandle> handles,
            TypeSerializer<K> keySerializer)
            throws Exception {
        List<KeyedStateHandle> present = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            if (handle == null) {
                continue;
            }
            if (!(handle instanceof KeyGroupsStateHandle)) {
                throw new IllegalStateException("the Tidemark backend restores Flink full snapshots and canonical"
                        + " savepoints (KeyGroupsStateHandle); got "
                        + handle.getClass().getName()
                        + " (an incremental or native checkpoint of another backend): restore from a canonical"
                        + " savepoint instead");
            }
            // Flink's assignment hands a task only its key groups; intersecting again makes any handle list safe
            KeyedStateHandle owned = handle.getIntersection(range);
            if (owned != null) {
                present.add(owned);
            }
        }
        StateSerializerProvider<K> keys = StateSerializerProvider.fromNewRegisteredSerializer(keySerializer);
        if (present.isEmpty()) {
            return new TidemarkRestore<>(keys, null);
        }
        return new TidemarkRestore<>(
                keys, new FullSnapshotRestoreOperation<>(range, classLoader, present, keys).restore());
    }

    /** The key serializer to run with: the registered one, reconfigured if the snapshot asked for it. */
    TypeSerializer<K> keySerializer() {
        return keys.currentSchemaSerializer();
    }

    /** Writes every entry of the handles' key groups in the backend's range into {@code backend}. */
    void loadInto(TidemarkKeyedStateBackend<K> backend) throws Exception {
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

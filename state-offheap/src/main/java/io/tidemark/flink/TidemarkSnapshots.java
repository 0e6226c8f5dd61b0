package io.tidemark.flink;

import io.tidemark.backend.canonical.CanonicalSnapshotReader;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.serialization.StateSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CheckpointStreamWithResultProvider;
import org.apache.flink.runtime.state.CheckpointedStateScope;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.FullSnapshotAsyncWriter;
import org.apache.flink.runtime.state.FullSnapshotResources;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyValueStateIterator;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.ListDelimitedSerializer;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.SnapshotStrategy;
import org.apache.flink.runtime.state.StateSerializerProvider;
import org.apache.flink.runtime.state.StreamCompressionDecorator;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.restore.FullSnapshotRestoreOperation;
import org.apache.flink.runtime.state.restore.KeyGroup;
import org.apache.flink.runtime.state.restore.KeyGroupEntry;
import org.apache.flink.runtime.state.restore.SavepointRestoreResult;
import org.apache.flink.runtime.state.restore.ThrowingIterator;

/**
 * Converts between the store and Flink's canonical full-snapshot format, in both directions.
 *
 * <p>Snapshot: the synchronous part takes the store's canonical snapshot (an O(1) page snapshot); the asynchronous
 * part runs the store's snapshot into memory one key group at a time and re-frames each entry as Flink's
 * key-group-prefixed composite key and value, handed to Flink's {@link FullSnapshotAsyncWriter}. The bytes inside are
 * Flink's own serialized keys, namespaces and values, so nothing is deserialized on the way.
 *
 * <p>Restore: Flink's {@link FullSnapshotRestoreOperation} reads the key groups of this backend's range from any
 * number of handles (rescaling), checking the key serializer; each entry is split back into key, namespace and user
 * key and written to the store.
 */
final class TidemarkSnapshots<K> implements SnapshotStrategy<KeyedStateHandle, TidemarkSnapshots.Resources<K>> {
    private final TidemarkKeyedStateBackend<K> backend;

    TidemarkSnapshots(TidemarkKeyedStateBackend<K> backend) {
        this.backend = backend;
    }

    /** One Flink key/value pair of a key group. */
    record Entry(int stateId, byte[] key, byte[] value) {}

    /** How one state's entries are framed: its shape and whether key and namespace lengths must be written. */
    private record Framing(String name, StateDescriptor.Type type, boolean ambiguous) {
        boolean list() {
            return type == StateDescriptor.Type.LIST;
        }

        boolean map() {
            return type == StateDescriptor.Type.MAP;
        }
    }

    // ---- snapshot ----

    @Override
    public Resources<K> syncPrepareResources(long checkpointId) {
        List<StateMetaInfoSnapshot> metas = new ArrayList<>();
        List<Framing> framings = new ArrayList<>();
        for (TidemarkKeyedStateBackend.Registered registered : backend.states().values()) {
            metas.add(registered.meta.snapshot());
            framings.add(new Framing(
                    registered.meta.getName(),
                    registered.meta.getStateType(),
                    CompositeKeySerializationUtils.isAmbiguousKeyPossible(
                            backend.getKeySerializer(), registered.meta.getNamespaceSerializer())));
        }
        for (StateMetaInfoSnapshot restored : backend.restoredMeta().values()) {
            if (!backend.states().containsKey(restored.getName())) {
                metas.add(restored);
                framings.add(new Framing(
                        restored.getName(),
                        typeOf(restored),
                        CompositeKeySerializationUtils.isAmbiguousKeyPossible(
                                backend.getKeySerializer(), namespaceSerializerOf(restored))));
            }
        }
        InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
        Callable<io.tidemark.backend.snapshot.KeyedStateHandle> task =
                backend.store().snapshot(checkpointId, SnapshotKind.CANONICAL, storage);
        return new Resources<>(backend, metas, framings, storage, task);
    }

    @Override
    public SnapshotResultSupplier<KeyedStateHandle> asyncSnapshot(
            Resources<K> resources,
            long checkpointId,
            long timestamp,
            CheckpointStreamFactory streamFactory,
            CheckpointOptions checkpointOptions) {
        if (resources.metas.isEmpty()) {
            return registry -> SnapshotResult.empty();
        }
        return new FullSnapshotAsyncWriter<>(
                checkpointOptions.getCheckpointType(),
                () -> CheckpointStreamWithResultProvider.createSimpleStream(
                        CheckpointedStateScope.EXCLUSIVE, streamFactory),
                resources);
    }

    /** Calls {@code action} with the serialized key and namespace of every entry of {@code stateName}, now. */
    void forEachEntry(String stateName, BiConsumer<byte[], byte[]> action) {
        Resources<K> resources = syncPrepareResources(0L);
        try {
            resources.read((state, keyGroup, key, namespace, value) -> {
                if (state.equals(stateName)) {
                    action.accept(key, namespace);
                }
            });
        } finally {
            resources.release();
        }
    }

    /** One store entry as the store's canonical snapshot gives it; {@code value} decoded by the store's serializer. */
    interface StoreEntryVisitor {
        void entry(String state, int keyGroup, byte[] key, byte[] namespace, Object value);
    }

    /** What one snapshot needs after its synchronous part: Flink's meta data and the store's snapshot task. */
    static final class Resources<K> implements FullSnapshotResources<K> {
        private final TidemarkKeyedStateBackend<K> backend;
        private final List<StateMetaInfoSnapshot> metas;
        private final List<Framing> framings;
        private final InMemorySnapshotStorage storage;
        private final Callable<io.tidemark.backend.snapshot.KeyedStateHandle> task;
        private final TypeSerializer<K> keySerializer;
        private io.tidemark.backend.snapshot.KeyedStateHandle handle;
        private CanonicalSnapshotReader.Header header;

        Resources(
                TidemarkKeyedStateBackend<K> backend,
                List<StateMetaInfoSnapshot> metas,
                List<Framing> framings,
                InMemorySnapshotStorage storage,
                Callable<io.tidemark.backend.snapshot.KeyedStateHandle> task) {
            this.backend = backend;
            this.metas = metas;
            this.framings = framings;
            this.storage = storage;
            this.task = task;
            this.keySerializer = backend.getKeySerializer().duplicate();
        }

        @Override
        public List<StateMetaInfoSnapshot> getMetaInfoSnapshots() {
            return metas;
        }

        @Override
        public KeyValueStateIterator createKVStateIterator() throws IOException {
            complete();
            return new EntryIterator(this);
        }

        @Override
        public KeyGroupRange getKeyGroupRange() {
            return backend.getKeyGroupRange();
        }

        @Override
        public TypeSerializer<K> getKeySerializer() {
            return keySerializer;
        }

        @Override
        public StreamCompressionDecorator getStreamCompressionDecorator() {
            return backend.compression();
        }

        @Override
        public void release() {
            // the store's snapshot lives in memory and goes with this object
        }

        /** Runs the store's snapshot (once) and reads its header. */
        private void complete() throws IOException {
            if (handle != null) {
                return;
            }
            try {
                handle = task.call();
            } catch (Exception e) {
                throw new IOException("the store's snapshot failed", e);
            }
            header = CanonicalSnapshotReader.readHeader(
                    handle, storage, getClass().getClassLoader());
        }

        /** Reads every entry of every key group, in key-group order. */
        void read(StoreEntryVisitor visitor) {
            try {
                complete();
            } catch (IOException e) {
                throw new TidemarkStateException("cannot read the store's snapshot", e);
            }
            KeyGroupRange range = getKeyGroupRange();
            for (int keyGroup = range.getStartKeyGroup(); keyGroup <= range.getEndKeyGroup(); keyGroup++) {
                readKeyGroup(keyGroup, visitor);
            }
        }

        @SuppressWarnings("unchecked")
        void readKeyGroup(int keyGroup, StoreEntryVisitor visitor) {
            int count = header.states().size();
            List<StateSerializer<Object>> decoders = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                decoders.add((StateSerializer<Object>)
                        header.states().get(i).valueSerializer().restoreSerializer());
            }
            CanonicalSnapshotReader.readKeyGroups(
                    handle,
                    storage,
                    io.tidemark.keygroup.KeyGroupRange.of(keyGroup, keyGroup),
                    count,
                    (stateIndex, group, key, namespace, value) -> visitor.entry(
                            header.states().get(stateIndex).name(),
                            group,
                            key,
                            namespace,
                            decoders.get(stateIndex)
                                    .read(new org.agrona.concurrent.UnsafeBuffer(value), 0, value.length)));
        }

        /** The Flink entries of one key group, ordered by state id. */
        @SuppressWarnings("unchecked")
        List<Entry> flinkEntries(int keyGroup) {
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < framings.size(); i++) {
                ids.put(framings.get(i).name(), i);
            }
            int prefixBytes = backend.keyGroupPrefixBytes();
            List<Entry> entries = new ArrayList<>();
            readKeyGroup(keyGroup, (state, group, key, namespace, value) -> {
                Integer id = ids.get(state);
                if (id == null) {
                    return; // a store state Flink never registered nor restored: none exist
                }
                Framing framing = framings.get(id);
                if (framing.map()) {
                    for (Map.Entry<byte[], byte[]> userEntry : ((Map<byte[], byte[]>) value).entrySet()) {
                        entries.add(new Entry(
                                id,
                                compositeKey(
                                        prefixBytes, group, key, namespace, framing.ambiguous(), userEntry.getKey()),
                                userEntry.getValue()));
                    }
                } else if (framing.list()) {
                    List<byte[]> elements = (List<byte[]>) value;
                    if (!elements.isEmpty()) {
                        entries.add(new Entry(
                                id,
                                compositeKey(prefixBytes, group, key, namespace, framing.ambiguous(), null),
                                TidemarkListState.delimited(elements)));
                    }
                } else {
                    entries.add(new Entry(
                            id, compositeKey(prefixBytes, group, key, namespace, framing.ambiguous(), null), (byte[])
                                    value));
                }
            });
            entries.sort(TidemarkKeyedStateBackend.BY_STATE);
            return entries;
        }
    }

    /** Flink's composite key: key-group prefix, key, namespace (lengths after each when ambiguous), user key. */
    static byte[] compositeKey(
            int prefixBytes, int keyGroup, byte[] key, byte[] namespace, boolean ambiguous, byte[] userKey) {
        DataOutputSerializer out = new DataOutputSerializer(
                prefixBytes + key.length + namespace.length + 10 + (userKey == null ? 0 : userKey.length));
        try {
            CompositeKeySerializationUtils.writeKeyGroup(keyGroup, prefixBytes, out);
            out.write(key);
            if (ambiguous) {
                CompositeKeySerializationUtils.writeVariableIntBytes(key.length, out);
            }
            out.write(namespace);
            if (ambiguous) {
                CompositeKeySerializationUtils.writeVariableIntBytes(namespace.length, out);
            }
            if (userKey != null) {
                out.write(userKey);
            }
        } catch (IOException e) {
            throw new TidemarkStateException("cannot frame a key of key group " + keyGroup, e);
        }
        return out.getCopyOfBuffer();
    }

    /** Flink's pull-style view of the store's snapshot, one key group in memory at a time. */
    private static final class EntryIterator implements KeyValueStateIterator {
        private final Resources<?> resources;
        private final int lastKeyGroup;
        private int keyGroup;
        private List<Entry> entries = List.of();
        private int at;
        private boolean newKeyGroup;
        private boolean newState;

        EntryIterator(Resources<?> resources) {
            this.resources = resources;
            this.keyGroup = resources.getKeyGroupRange().getStartKeyGroup() - 1;
            this.lastKeyGroup = resources.getKeyGroupRange().getEndKeyGroup();
            advanceKeyGroup();
        }

        private void advanceKeyGroup() {
            while (++keyGroup <= lastKeyGroup) {
                entries = resources.flinkEntries(keyGroup);
                if (!entries.isEmpty()) {
                    at = 0;
                    newKeyGroup = true;
                    newState = true;
                    return;
                }
            }
            entries = List.of();
            at = 0;
        }

        @Override
        public void next() {
            int previousState = entries.get(at).stateId();
            at++;
            if (at < entries.size()) {
                newKeyGroup = false;
                newState = entries.get(at).stateId() != previousState;
            } else {
                advanceKeyGroup();
            }
        }

        @Override
        public int keyGroup() {
            return keyGroup;
        }

        @Override
        public byte[] key() {
            return entries.get(at).key();
        }

        @Override
        public byte[] value() {
            return entries.get(at).value();
        }

        @Override
        public int kvStateId() {
            return entries.get(at).stateId();
        }

        @Override
        public boolean isNewKeyValueState() {
            return newState;
        }

        @Override
        public boolean isNewKeyGroup() {
            return newKeyGroup;
        }

        @Override
        public boolean isValid() {
            return at < entries.size();
        }

        @Override
        public void close() {}
    }

    // ---- restore ----

    static StateDescriptor.Type typeOf(StateMetaInfoSnapshot meta) {
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

    /** A restored state's store state and what splitting its entries needs. */
    private record Target(
            StateMetaInfoSnapshot meta,
            io.tidemark.state.State store,
            TypeSerializer<Object> namespaceSerializer,
            TypeSerializer<Object> elementSerializer,
            boolean ambiguous) {}

    /**
     * Loads the key groups of this backend's range from Flink full-snapshot handles (this backend's checkpoints and
     * any backend's canonical savepoints).
     *
     * @throws org.apache.flink.util.StateMigrationException if the key serializer cannot read the stored keys
     * @throws IllegalStateException naming the handle type when a handle is not a full (key-group) snapshot
     */
    void restore(Collection<KeyedStateHandle> handles) throws Exception {
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
            present.add(handle);
        }
        if (present.isEmpty()) {
            return;
        }
        StateSerializerProvider<K> keyProvider =
                StateSerializerProvider.fromNewRegisteredSerializer(backend.getKeySerializer());
        FullSnapshotRestoreOperation<K> operation = new FullSnapshotRestoreOperation<>(
                backend.getKeyGroupRange(), backend.classLoader(), present, keyProvider);
        try (ThrowingIterator<SavepointRestoreResult> results = operation.restore()) {
            while (results.hasNext()) {
                SavepointRestoreResult result = results.next();
                TypeSerializer<K> storedKeys = keyProvider.previousSchemaSerializer();
                List<Target> targets = new ArrayList<>();
                for (StateMetaInfoSnapshot meta : result.getStateMetaInfoSnapshots()) {
                    targets.add(target(meta, storedKeys));
                }
                try (ThrowingIterator<KeyGroup> groups = result.getRestoredKeyGroups()) {
                    while (groups.hasNext()) {
                        KeyGroup group = groups.next();
                        try (ThrowingIterator<KeyGroupEntry> entries = group.getKeyGroupEntries()) {
                            while (entries.hasNext()) {
                                KeyGroupEntry entry = entries.next();
                                Target target = targets.get(entry.getKvStateId());
                                if (target == null) {
                                    throw new IllegalStateException(
                                            "timers (priority-queue state) in a snapshot are not restored by the"
                                                    + " Tidemark backend: take the savepoint with timers in raw"
                                                    + " keyed state");
                                }
                                write(target, storedKeys, entry);
                            }
                        }
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Target target(StateMetaInfoSnapshot meta, TypeSerializer<K> storedKeys) {
        if (meta.getBackendStateType() != StateMetaInfoSnapshot.BackendStateType.KEY_VALUE) {
            return null;
        }
        backend.restoredMeta().putIfAbsent(meta.getName(), meta);
        StateDescriptor.Type type = typeOf(meta);
        TypeSerializer<Object> namespaceSerializer = namespaceSerializerOf(meta);
        TypeSerializer<Object> elementSerializer = null;
        if (type == StateDescriptor.Type.LIST) {
            elementSerializer =
                    ((ListSerializer<Object>) (TypeSerializer<?>) valueSerializerOf(meta)).getElementSerializer();
        }
        return new Target(
                meta,
                backend.storeState(meta.getName(), type),
                namespaceSerializer,
                elementSerializer,
                CompositeKeySerializationUtils.isAmbiguousKeyPossible(storedKeys, namespaceSerializer));
    }

    @SuppressWarnings("unchecked")
    private void write(Target target, TypeSerializer<K> storedKeys, KeyGroupEntry entry) throws IOException {
        byte[] composite = entry.getKey();
        DataInputDeserializer in = new DataInputDeserializer(composite);
        CompositeKeySerializationUtils.readKeyGroup(backend.keyGroupPrefixBytes(), in);
        K key = CompositeKeySerializationUtils.readKey(storedKeys, in, target.ambiguous());
        int namespaceStart = in.getPosition();
        target.namespaceSerializer().deserialize(in);
        int namespaceEnd = in.getPosition();
        if (target.ambiguous()) {
            CompositeKeySerializationUtils.readVariableIntBytes(in, namespaceEnd - namespaceStart);
        }
        byte[] namespace = java.util.Arrays.copyOfRange(composite, namespaceStart, namespaceEnd);
        backend.store().setCurrentKey(key);
        ((io.tidemark.backend.NamespacedState<byte[]>) target.store()).setCurrentNamespace(namespace);
        byte[] value = entry.getValue();
        if (target.store() instanceof io.tidemark.state.MapState<?, ?> map) {
            byte[] userKey = java.util.Arrays.copyOfRange(composite, in.getPosition(), composite.length);
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
            if (in.available() > 0 && delimited[end - 1] == TidemarkListState.DELIMITER) {
                end--; // deserializeNextElement consumed the delimiter after the element
            }
            elements.add(java.util.Arrays.copyOfRange(delimited, start, end));
        }
        return elements;
    }
}

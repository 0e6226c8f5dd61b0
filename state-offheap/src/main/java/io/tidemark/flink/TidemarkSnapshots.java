package io.tidemark.flink;

import io.tidemark.backend.canonical.CanonicalSnapshotReader;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.serialization.StateSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CheckpointStreamWithResultProvider;
import org.apache.flink.runtime.state.CheckpointedStateScope;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.FullSnapshotAsyncWriter;
import org.apache.flink.runtime.state.FullSnapshotResources;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyValueStateIterator;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.SnapshotStrategy;
import org.apache.flink.runtime.state.StreamCompressionDecorator;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.restore.FullSnapshotRestoreOperation;

/**
 * Converts between the store and Flink's canonical full-snapshot format, in both directions.
 *
 * <p>Snapshot: the synchronous part takes the store's canonical snapshot (an O(1) page snapshot); the asynchronous
 * part runs the store's snapshot into a file ({@link SnapshotSpillStorage}), reads it back one key group at a time
 * and re-frames each entry as Flink's
 * key-group-prefixed composite key and value, handed to Flink's {@link FullSnapshotAsyncWriter}. The bytes inside are
 * Flink's own serialized keys, namespaces and values, so nothing is deserialized on the way.
 *
 * <p>Restore: Flink's {@link FullSnapshotRestoreOperation} reads the key groups of this backend's range from any
 * number of handles (rescaling), checking the key serializer; each entry is split back into key, namespace and user
 * key and written to the store.
 */
final class TidemarkSnapshots<K> implements SnapshotStrategy<KeyedStateHandle, TidemarkSnapshots.Resources<K>> {
    private final TidemarkKeyedStateBackend<K> backend;
    private final SnapshotSpillStorage storage;
    /** The last snapshot taken; the store runs one snapshot at a time, so the next one completes it first. */
    private Resources<K> last;

    TidemarkSnapshots(TidemarkKeyedStateBackend<K> backend, Path spillDirectory) {
        this.backend = backend;
        this.storage = new SnapshotSpillStorage(spillDirectory);
    }

    /** The value of a timer entry: the element is all key. */
    private static final byte[] NO_VALUE = new byte[0];

    /**
     * A timer queue's elements copied in the synchronous part (as Flink's heap backend copies its queues), serialized
     * per key group in the asynchronous part as Flink's canonical format has them: key-group prefix and element.
     */
    static final class QueueElements {
        private final List<Object> elements;
        private final TypeSerializer<Object> serializer;
        private final int maxParallelism;
        private Map<Integer, List<Object>> byKeyGroup;

        private QueueElements(List<Object> elements, TypeSerializer<Object> serializer, int maxParallelism) {
            this.elements = elements;
            this.serializer = serializer;
            this.maxParallelism = maxParallelism;
        }

        @SuppressWarnings("unchecked")
        static QueueElements of(TidemarkKeyedStateBackend.Queue<?> queue, TidemarkKeyedStateBackend<?> backend) {
            List<Object> elements = new ArrayList<>(queue.set.size());
            // a heap queue's iterator holds nothing to close
            queue.set.iterator().forEachRemaining(elements::add);
            return new QueueElements(
                    elements,
                    (TypeSerializer<Object>) queue.meta.getElementSerializer().duplicate(),
                    backend.getNumberOfKeyGroups());
        }

        List<byte[]> keyGroup(int keyGroup, int prefixBytes) {
            if (byKeyGroup == null) {
                byKeyGroup = new HashMap<>();
                for (Object element : elements) {
                    int group = org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignToKeyGroup(
                            ((org.apache.flink.runtime.state.Keyed<?>) element).getKey(), maxParallelism);
                    byKeyGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(element);
                }
            }
            List<byte[]> serialized = new ArrayList<>();
            DataOutputSerializer out = new DataOutputSerializer(64);
            for (Object element : byKeyGroup.getOrDefault(keyGroup, List.of())) {
                out.clear();
                try {
                    CompositeKeySerializationUtils.writeKeyGroup(keyGroup, prefixBytes, out);
                    serializer.serialize(element, out);
                } catch (IOException e) {
                    throw new TidemarkStateException("cannot serialize a timer with " + serializer, e);
                }
                serialized.add(out.getCopyOfBuffer());
            }
            return serialized;
        }
    }

    /** Orders one key group's entries by state id: Flink's full-snapshot format groups them by state. */
    private static final Comparator<Entry> BY_STATE = Comparator.comparingInt(Entry::stateId);

    /** One Flink key/value pair of a key group. */
    record Entry(int stateId, byte[] key, byte[] value) {}

    /**
     * How one state's entries are framed: its shape and whether key and namespace lengths must be written; for a timer
     * queue, its elements as of the synchronous part.
     */
    private record Framing(String name, StateDescriptor.Type type, boolean ambiguous, QueueElements queue) {
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
                            backend.getKeySerializer(), registered.meta.getNamespaceSerializer()),
                    null));
        }
        for (StateMetaInfoSnapshot restored : backend.restoredMeta().values()) {
            if (!backend.states().containsKey(restored.getName())) {
                metas.add(restored);
                framings.add(new Framing(
                        restored.getName(),
                        TidemarkRestore.stateType(restored),
                        CompositeKeySerializationUtils.isAmbiguousKeyPossible(
                                backend.getKeySerializer(), TidemarkRestore.namespaceSerializerOf(restored)),
                        null));
            }
        }
        for (TidemarkKeyedStateBackend.Queue<?> queue : backend.queues().values()) {
            metas.add(queue.meta.snapshot());
            framings.add(new Framing(queue.meta.getName(), null, false, QueueElements.of(queue, backend)));
        }
        if (last != null) {
            // the store supersedes a snapshot whose asynchronous part has not started: finish it first (Flink lets
            // checkpoints overlap; this costs the task thread that work only when they do)
            last.completeQuietly();
        }
        Callable<io.tidemark.backend.snapshot.KeyedStateHandle> task =
                backend.store().snapshot(checkpointId, SnapshotKind.CANONICAL, storage);
        last = new Resources<>(backend, metas, framings, storage, task);
        return last;
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

    /**
     * Calls {@code action} with the serialized key and namespace of every entry of {@code stateName} (every state when
     * null), as of now: a snapshot of the store, read on this thread.
     */
    void forEachEntry(String stateName, BiConsumer<byte[], byte[]> action) {
        Resources<K> resources = syncPrepareResources(0L);
        try {
            resources.read((state, keyGroup, key, namespace, value) -> {
                if (stateName == null || state.equals(stateName)) {
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
        private final SnapshotSpillStorage storage;
        private final Callable<io.tidemark.backend.snapshot.KeyedStateHandle> task;
        private final TypeSerializer<K> keySerializer;
        private io.tidemark.backend.snapshot.KeyedStateHandle handle;
        private CanonicalSnapshotReader.Header header;
        private Exception failure;
        private boolean released;

        Resources(
                TidemarkKeyedStateBackend<K> backend,
                List<StateMetaInfoSnapshot> metas,
                List<Framing> framings,
                SnapshotSpillStorage storage,
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

        /** Deletes the store's snapshot file; a snapshot never run is run first, so the store is not left waiting. */
        @Override
        public synchronized void release() {
            if (released) {
                return;
            }
            completeQuietly();
            released = true;
            if (handle != null) {
                for (io.tidemark.backend.snapshot.StreamHandle stream : handle.streams()) {
                    storage.delete(stream);
                }
            }
        }

        /** Runs the store's snapshot (once, on whichever thread asks first) and reads its header. */
        private synchronized void complete() throws IOException {
            if (released) {
                throw new IOException("snapshot resources already released");
            }
            completeQuietly();
            if (failure != null) {
                throw new IOException("the store's snapshot failed", failure);
            }
        }

        /** Runs the store's snapshot if it has not run; a failure is kept for {@link #complete}. */
        synchronized void completeQuietly() {
            if (handle != null || failure != null || released) {
                return;
            }
            try {
                handle = task.call();
                header = CanonicalSnapshotReader.readHeader(
                        handle, storage, getClass().getClassLoader());
            } catch (Exception e) {
                failure = e;
            }
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
                if (framing.queue() != null) {
                    return; // timers are not store entries: added below
                }
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
            for (int id = 0; id < framings.size(); id++) {
                QueueElements queue = framings.get(id).queue();
                if (queue != null) {
                    for (byte[] element : queue.keyGroup(keyGroup, prefixBytes)) {
                        entries.add(new Entry(id, element, NO_VALUE));
                    }
                }
            }
            entries.sort(BY_STATE); // stable: a map's entries stay together
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
}

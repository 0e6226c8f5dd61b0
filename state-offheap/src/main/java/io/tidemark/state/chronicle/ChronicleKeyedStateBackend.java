package io.tidemark.state.chronicle;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.internal.AbstractKeyedStateBackend;
import io.tidemark.backend.internal.InternalDoubleState;
import io.tidemark.backend.internal.InternalListState;
import io.tidemark.backend.internal.InternalLongState;
import io.tidemark.backend.internal.InternalMapState;
import io.tidemark.backend.internal.InternalValueState;
import io.tidemark.backend.internal.RegisteredKeyedState;
import io.tidemark.backend.internal.SnapshotSource;
import io.tidemark.serialization.StateSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Keyed state in one persisted Chronicle Map per state under the working directory (see {@link BackendDirectory}),
 * keyed by serialized (key group, key, namespace) ({@link StateKeyLayout}), values serialized with the state's
 * serializers. Lists and maps are stored whole per key and namespace.
 *
 * <p>Snapshots are full and canonical. Chronicle Map has no snapshots of its own, so the synchronous part copies every
 * entry's bytes onto the heap ({@link SnapshotCopy}): the operator thread pauses for O(state) and the heap holds a copy
 * of the state until the asynchronous part has written it. That is the price of this backend.
 *
 * <p>The live files are a cache: creation deletes what an earlier run left, state comes back through {@link #restore},
 * and {@link #close()} closes the maps and deletes the files. Operator thread only, except the asynchronous snapshot
 * part, which reads only the heap copy.
 *
 * <p>Allocation: every state access allocates the map key and the value array (Chronicle's {@code byte[]} support) and
 * deserializes a fresh object; this backend trades the allocation-free path of {@code offheap} for simplicity.
 *
 * <p>Errors: a full map or an entry above {@link ChronicleBackendConfig#maxEntryBytes()} raises
 * {@link io.tidemark.StateSizeException}, a full disk {@link io.tidemark.StorageSpaceException}, any other file problem
 * {@link io.tidemark.StorageIOException}; each names the state and the file, and the failed write changed nothing.
 */
public final class ChronicleKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
    private static final int PRIMITIVE_VALUE_BYTES = Long.BYTES;

    private final ChronicleBackendConfig config;
    private final BackendDirectory directory;
    private final List<StateMapFile> maps = new ArrayList<>();
    private final ExpandableArrayBuffer keyPrefix = new ExpandableArrayBuffer(64);
    private int keyPrefixLength;
    private boolean closed;

    public ChronicleKeyedStateBackend(KeyedBackendParameters<K> parameters, ChronicleBackendConfig config) {
        super(parameters);
        this.config = config;
        this.directory = BackendDirectory.open(
                parameters.workingDirectory(), parameters.operatorId(), parameters.keyGroupRange());
    }

    @Override
    protected void onCurrentKeyChanged(K key, int keyGroup) {
        int keyLength = parameters.keySerializer().write(key, keyPrefix, StateKeyLayout.KEY_OFFSET);
        StateKeyLayout.putHeader(keyPrefix, keyGroup, keyLength);
        keyPrefixLength = StateKeyLayout.KEY_OFFSET + keyLength;
    }

    void checkKeyFor(String stateName) {
        checkOpen();
        checkKey(stateName);
    }

    /** The map key of the current key and {@code namespace}; a new array. */
    byte[] mapKey(byte[] namespace) {
        byte[] key = new byte[keyPrefixLength + namespace.length];
        keyPrefix.getBytes(0, key, 0, keyPrefixLength);
        System.arraycopy(namespace, 0, key, keyPrefixLength, namespace.length);
        return key;
    }

    private StateMapFile newMap(int index, String name, int averageValueBytes) {
        if (index != maps.size()) {
            throw new IllegalStateException("state index out of order: index=" + index + ", maps=" + maps.size());
        }
        StateMapFile map = StateMapFile.create(name, directory.stateFile(index, name), config, averageValueBytes);
        maps.add(map);
        return map;
    }

    @Override
    protected <N, T> InternalValueState<N, T> createValueState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> valueSerializer) {
        StateMapFile map = newMap(index, name, config.averageValueBytes());
        return new ChronicleValueState<>(this, map, name, namespaceSerializer, valueSerializer);
    }

    @Override
    protected <N, T> InternalListState<N, T> createListState(
            int index, String name, StateSerializer<N> namespaceSerializer, StateSerializer<T> elementSerializer) {
        StateMapFile map = newMap(index, name, config.averageValueBytes());
        return new ChronicleListState<>(this, map, name, namespaceSerializer, elementSerializer);
    }

    @Override
    protected <N, UK, UV> InternalMapState<N, UK, UV> createMapState(
            int index,
            String name,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<UK> userKeySerializer,
            StateSerializer<UV> valueSerializer) {
        StateMapFile map = newMap(index, name, config.averageValueBytes());
        return new ChronicleMapState<>(this, map, name, namespaceSerializer, userKeySerializer, valueSerializer);
    }

    @Override
    protected <N> InternalLongState<N> createLongState(
            int index, String name, StateSerializer<N> namespaceSerializer, long defaultValue) {
        StateMapFile map = newMap(index, name, PRIMITIVE_VALUE_BYTES);
        return new ChronicleLongState<>(this, map, name, namespaceSerializer, defaultValue);
    }

    @Override
    protected <N> InternalDoubleState<N> createDoubleState(
            int index, String name, StateSerializer<N> namespaceSerializer, double defaultValue) {
        StateMapFile map = newMap(index, name, PRIMITIVE_VALUE_BYTES);
        return new ChronicleDoubleState<>(this, map, name, namespaceSerializer, defaultValue);
    }

    /** Copies every map's entries onto the heap: O(state) time and heap, on the operator thread. */
    @Override
    @SuppressWarnings("unchecked")
    protected SnapshotSource captureSnapshotSource() {
        List<RegisteredKeyedState> states = registeredStates();
        SnapshotCopy copy = new SnapshotCopy(states.size(), keyGroupRange());
        List<StateSerializer<Object>> namespaceSerializers = new ArrayList<>(states.size());
        List<StateSerializer<Object>> valueSerializers = new ArrayList<>(states.size());
        for (RegisteredKeyedState state : states) {
            maps.get(state.index()).copyTo(copy, state.index());
            namespaceSerializers.add(state.namespaceSerializer().duplicate());
            valueSerializers.add(state.valueSerializer().duplicate());
        }
        StateSerializer<Object> keySerializer =
                (StateSerializer<Object>) parameters.keySerializer().duplicate();
        return new CopiedSnapshotSource(copy, keySerializer, namespaceSerializers, valueSerializers);
    }

    /** Decodes the partition key of every map key; Chronicle's iteration holds each segment's lock meanwhile. */
    @Override
    protected void forEachEntryKey(int stateIndex, Consumer<K> sink) {
        StateSerializer<K> keySerializer = parameters.keySerializer();
        UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        maps.get(stateIndex).forEachMapKey(mapKey -> {
            view.wrap(mapKey);
            sink.accept(keySerializer.read(view, StateKeyLayout.KEY_OFFSET, StateKeyLayout.keyLength(view, 0)));
        });
    }

    /** The directory holding this instance's map files. */
    public Path directory() {
        return directory.directory();
    }

    /** Number of entries (key, namespace pairs) of every state. */
    public long entryCount() {
        long count = 0;
        for (StateMapFile map : maps) {
            count += map.size();
        }
        return count;
    }

    /** Closes every map and deletes the files and the instance directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        super.close();
        RuntimeException failure = null;
        for (StateMapFile map : maps) {
            try {
                map.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        maps.clear();
        try {
            directory.delete();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

package io.tidemark.state.chronicle;

import io.tidemark.StateAccessException;
import io.tidemark.backend.NamespacedState;
import io.tidemark.serialization.StateSerializer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Shared plumbing of Chronicle states: the map file, the namespace serialized once when set, the map key of the current
 * (key, namespace) and scratch buffers for values. Operator thread only. Every access allocates the map key and the
 * value array that Chronicle's {@code byte[]} support needs.
 */
abstract class AbstractChronicleState<N> implements NamespacedState<N> {
    final ChronicleKeyedStateBackend<?> backend;
    final StateMapFile map;
    final String name;
    private final StateSerializer<N> namespaceSerializer;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64);
    private final UnsafeBuffer reader = new UnsafeBuffer(new byte[0]);
    private byte[] namespaceBytes;
    /** The namespace last set, so that a namespace merge can make it current again. */
    N namespace;

    AbstractChronicleState(
            ChronicleKeyedStateBackend<?> backend,
            StateMapFile map,
            String name,
            StateSerializer<N> namespaceSerializer) {
        this.backend = backend;
        this.map = map;
        this.name = name;
        this.namespaceSerializer = namespaceSerializer;
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        this.namespace = namespace;
        if (namespace == null) {
            namespaceBytes = null;
            return;
        }
        int length = namespaceSerializer.write(namespace, scratch, 0);
        byte[] bytes = new byte[length];
        scratch.getBytes(0, bytes);
        namespaceBytes = bytes;
    }

    /** The map key of the current key and namespace. */
    final byte[] mapKey() {
        backend.checkKeyFor(name);
        if (namespaceBytes == null) {
            throw new StateAccessException("keyed state used without a current namespace: state=" + name);
        }
        return backend.mapKey(namespaceBytes);
    }

    final byte[] storedBytes() {
        return map.get(mapKey());
    }

    final <T> T read(StateSerializer<T> serializer, byte[] bytes) {
        reader.wrap(bytes);
        return serializer.read(reader, 0, bytes.length);
    }

    final <T> byte[] serialize(StateSerializer<T> serializer, T value) {
        int length = serializer.write(value, scratch, 0);
        byte[] bytes = new byte[length];
        scratch.getBytes(0, bytes);
        return bytes;
    }

    final void storeBytes(byte[] bytes) {
        map.put(mapKey(), bytes);
    }

    public final void clear() {
        map.remove(mapKey());
    }
}

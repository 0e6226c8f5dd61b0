package io.tidemark.flink;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.State;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.queryablestate.client.state.serialization.KvStateSerializer;
import org.apache.flink.runtime.state.internal.InternalKvState;

/**
 * The common part of the Flink states over the store: each Flink state is one store state whose namespaces, values,
 * list elements and map user keys are Flink's serialized bytes, so the store compares and hashes exactly what Flink's
 * serializers wrote (as Flink's RocksDB backend does) and Flink's snapshot format needs no re-encoding.
 *
 * <p>Operator thread only. The namespace is serialized once per {@link #setCurrentNamespace} and handed to the store
 * state before every access: several Flink state objects of one name share one store state.
 *
 * @param <K> the key type
 * @param <N> the namespace type
 * @param <V> the type of the state's stored value ({@code List<T>} for lists, {@code Map<UK, UV>} for maps)
 * @param <S> the store state type
 */
abstract class AbstractTidemarkState<K, N, V, S extends State> implements InternalKvState<K, N, V> {
    final TidemarkKeyedStateBackend<K> backend;
    final String name;
    final S store;
    private final NamespacedState<byte[]> namespaced;
    TypeSerializer<N> namespaceSerializer;
    TypeSerializer<V> valueSerializer;

    final DataOutputSerializer out = new DataOutputSerializer(128);
    final DataInputDeserializer in = new DataInputDeserializer();

    private N namespace;
    private byte[] namespaceBytes;

    AbstractTidemarkState(
            TidemarkKeyedStateBackend<K> backend,
            String name,
            S store,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<V> valueSerializer) {
        this.backend = backend;
        this.name = name;
        this.store = store;
        this.namespaced = namespacedView(store);
        this.namespaceSerializer = namespaceSerializer;
        this.valueSerializer = valueSerializer;
    }

    @Override
    public TypeSerializer<K> getKeySerializer() {
        return backend.getKeySerializer();
    }

    @Override
    public TypeSerializer<N> getNamespaceSerializer() {
        return namespaceSerializer;
    }

    @Override
    public TypeSerializer<V> getValueSerializer() {
        return valueSerializer;
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        Objects.requireNonNull(namespace, "namespace");
        if (namespaceBytes != null && namespace.equals(this.namespace)) {
            return;
        }
        this.namespaceBytes = serialize(namespace, namespaceSerializer);
        this.namespace = namespace;
    }

    /** Hands the current namespace to the store state; call before every store access. */
    final void bind() {
        if (namespaceBytes == null) {
            throw new IllegalStateException("no namespace set for state '" + name + "'");
        }
        namespaced.setCurrentNamespace(namespaceBytes);
    }

    @SuppressWarnings("unchecked")
    private static NamespacedState<byte[]> namespacedView(State store) {
        return (NamespacedState<byte[]>) store;
    }

    /** Points the store state at {@code namespace} (already serialized); the cached object is forgotten. */
    final void bindBytes(byte[] serializedNamespace) {
        this.namespace = null;
        this.namespaceBytes = serializedNamespace;
        namespaced.setCurrentNamespace(serializedNamespace);
    }

    final byte[] currentNamespaceBytes() {
        return namespaceBytes;
    }

    final N currentNamespace() {
        return namespace;
    }

    /** Restores the namespace object after {@link #bindBytes}. */
    final void restoreNamespace(N previous, byte[] previousBytes) {
        this.namespace = previous;
        this.namespaceBytes = previousBytes;
    }

    final <T> byte[] serialize(T value, TypeSerializer<T> serializer) {
        out.clear();
        try {
            serializer.serialize(value, out);
        } catch (IOException e) {
            throw new TidemarkStateException("cannot serialize for state '" + name + "' with " + serializer, e);
        }
        return out.getCopyOfBuffer();
    }

    final <T> T deserialize(byte[] bytes, TypeSerializer<T> serializer) {
        in.setBuffer(bytes);
        try {
            return serializer.deserialize(in);
        } catch (IOException e) {
            throw new TidemarkStateException(
                    "cannot deserialize " + bytes.length + " bytes of state '" + name + "' with " + serializer, e);
        }
    }

    @Override
    public byte[] getSerializedValue(
            byte[] serializedKeyAndNamespace,
            TypeSerializer<K> safeKeySerializer,
            TypeSerializer<N> safeNamespaceSerializer,
            TypeSerializer<V> safeValueSerializer)
            throws Exception {
        Tuple2<K, N> keyAndNamespace = KvStateSerializer.deserializeKeyAndNamespace(
                serializedKeyAndNamespace, safeKeySerializer, safeNamespaceSerializer);
        byte[] namespaceOfQuery = serialize(keyAndNamespace.f1, safeNamespaceSerializer);
        N previous = namespace;
        byte[] previousBytes = namespaceBytes;
        return backend.withKey(keyAndNamespace.f0, () -> {
            try {
                bindBytes(namespaceOfQuery);
                return serializedValue(safeValueSerializer);
            } finally {
                restoreNamespace(previous, previousBytes);
            }
        });
    }

    /** The current key's value in the bound namespace in Flink's queryable-state form, or null when absent. */
    abstract byte[] serializedValue(TypeSerializer<V> safeValueSerializer) throws Exception;

    @Override
    public StateIncrementalVisitor<K, N, V> getStateIncrementalVisitor(int recommendedMaxNumberOfReturnedRecords) {
        throw new UnsupportedOperationException("the Tidemark backend keeps no heap entries to visit: state '" + name
                + "' (TTL cleanup here is on access and at snapshots, as with RocksDB)");
    }

    @Override
    public void clear() {
        bind();
        store.clear();
    }
}

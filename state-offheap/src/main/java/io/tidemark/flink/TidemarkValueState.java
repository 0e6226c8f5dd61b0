package io.tidemark.flink;

import io.tidemark.state.ValueState;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.internal.InternalValueState;

/** Flink's value state on a store value state of serialized values. */
final class TidemarkValueState<K, N, V> extends AbstractTidemarkState<K, N, V, ValueState<byte[]>>
        implements InternalValueState<K, N, V> {
    private final V defaultValue;

    TidemarkValueState(
            TidemarkKeyedStateBackend<K> backend,
            String name,
            ValueState<byte[]> store,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<V> valueSerializer,
            V defaultValue) {
        super(backend, name, store, namespaceSerializer, valueSerializer);
        this.defaultValue = defaultValue;
    }

    @Override
    public V value() {
        bind();
        byte[] bytes = store.value();
        if (bytes == null) {
            return defaultValue == null ? null : valueSerializer.copy(defaultValue);
        }
        return deserialize(bytes, valueSerializer);
    }

    @Override
    public void update(V value) {
        if (value == null) {
            clear();
            return;
        }
        bind();
        store.update(serialize(value, valueSerializer));
    }

    @Override
    byte[] serializedValue(TypeSerializer<V> safeValueSerializer) {
        return store.value();
    }
}

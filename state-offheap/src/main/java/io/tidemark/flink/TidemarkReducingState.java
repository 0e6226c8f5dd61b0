package io.tidemark.flink;

import io.tidemark.state.ValueState;
import java.util.Collection;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.internal.InternalReducingState;

/** Flink's reducing state: the reduced value in a store value state, reduced on every add. */
final class TidemarkReducingState<K, N, V> extends AbstractTidemarkState<K, N, V, ValueState<byte[]>>
        implements InternalReducingState<K, N, V> {
    private final ReduceFunction<V> reduceFunction;

    TidemarkReducingState(
            TidemarkKeyedStateBackend<K> backend,
            String name,
            ValueState<byte[]> store,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<V> valueSerializer,
            ReduceFunction<V> reduceFunction) {
        super(backend, name, store, namespaceSerializer, valueSerializer);
        this.reduceFunction = reduceFunction;
    }

    @Override
    public V get() {
        return getInternal();
    }

    @Override
    public void add(V value) throws Exception {
        if (value == null) {
            clear();
            return;
        }
        V current = getInternal();
        updateInternal(current == null ? value : reduceFunction.reduce(current, value));
    }

    @Override
    public V getInternal() {
        bind();
        byte[] bytes = store.value();
        return bytes == null ? null : deserialize(bytes, valueSerializer);
    }

    @Override
    public void updateInternal(V value) {
        bind();
        store.update(value == null ? null : serialize(value, valueSerializer));
    }

    @Override
    public void mergeNamespaces(N target, Collection<N> sources) throws Exception {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        V merged = null;
        for (N source : sources) {
            setCurrentNamespace(source);
            V value = getInternal();
            if (value != null) {
                store.clear();
                merged = merged == null ? value : reduceFunction.reduce(merged, value);
            }
        }
        setCurrentNamespace(target);
        if (merged != null) {
            V current = getInternal();
            updateInternal(current == null ? merged : reduceFunction.reduce(merged, current));
        }
    }

    @Override
    byte[] serializedValue(TypeSerializer<V> safeValueSerializer) {
        return store.value();
    }
}

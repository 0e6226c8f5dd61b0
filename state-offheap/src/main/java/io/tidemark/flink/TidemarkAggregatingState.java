package io.tidemark.flink;

import io.tidemark.state.ValueState;
import java.util.Collection;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.internal.InternalAggregatingState;

/** Flink's aggregating state: the accumulator in a store value state, folded on every add. */
final class TidemarkAggregatingState<K, N, IN, ACC, OUT> extends AbstractTidemarkState<K, N, ACC, ValueState<byte[]>>
        implements InternalAggregatingState<K, N, IN, ACC, OUT> {
    private final AggregateFunction<IN, ACC, OUT> aggregateFunction;

    TidemarkAggregatingState(
            TidemarkKeyedStateBackend<K> backend,
            String name,
            ValueState<byte[]> store,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<ACC> accumulatorSerializer,
            AggregateFunction<IN, ACC, OUT> aggregateFunction) {
        super(backend, name, store, namespaceSerializer, accumulatorSerializer);
        this.aggregateFunction = aggregateFunction;
    }

    @Override
    public OUT get() {
        ACC accumulator = getInternal();
        return accumulator == null ? null : aggregateFunction.getResult(accumulator);
    }

    @Override
    public void add(IN value) {
        ACC current = getInternal();
        ACC accumulator = current == null ? aggregateFunction.createAccumulator() : current;
        updateInternal(aggregateFunction.add(value, accumulator));
    }

    @Override
    public ACC getInternal() {
        bind();
        byte[] bytes = store.value();
        return bytes == null ? null : deserialize(bytes, valueSerializer);
    }

    @Override
    public void updateInternal(ACC accumulator) {
        bind();
        store.update(accumulator == null ? null : serialize(accumulator, valueSerializer));
    }

    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        ACC merged = null;
        for (N source : sources) {
            setCurrentNamespace(source);
            ACC accumulator = getInternal();
            if (accumulator != null) {
                store.clear();
                merged = merged == null ? accumulator : aggregateFunction.merge(merged, accumulator);
            }
        }
        setCurrentNamespace(target);
        if (merged != null) {
            ACC current = getInternal();
            updateInternal(current == null ? merged : aggregateFunction.merge(merged, current));
        }
    }

    @Override
    byte[] serializedValue(TypeSerializer<ACC> safeValueSerializer) {
        return store.value();
    }
}

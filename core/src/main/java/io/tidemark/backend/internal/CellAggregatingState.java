package io.tidemark.backend.internal;

import io.tidemark.backend.MergingState;
import io.tidemark.state.AggregateFunction;
import io.tidemark.state.AggregatingState;
import java.util.Collection;
import java.util.Objects;

/** {@link AggregatingState} over a {@link ValueCell} of accumulators. */
final class CellAggregatingState<N, IN, ACC, OUT> implements AggregatingState<IN, OUT>, MergingState<N> {
    private N namespace;
    private final ValueCell<N, ACC> cell;
    private final AggregateFunction<IN, ACC, OUT> function;

    CellAggregatingState(ValueCell<N, ACC> cell, AggregateFunction<IN, ACC, OUT> function) {
        this.cell = cell;
        this.function = function;
    }

    @Override
    public OUT get() {
        ACC accumulator = cell.get();
        return accumulator == null ? null : function.getResult(accumulator);
    }

    @Override
    public void add(IN value) {
        Objects.requireNonNull(value, "aggregating state value");
        ACC accumulator = cell.getForMutation();
        if (accumulator == null) {
            accumulator = function.createAccumulator();
        }
        cell.put(function.add(value, accumulator));
    }

    @Override
    public void clear() {
        cell.clear();
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        this.namespace = namespace;
        cell.setCurrentNamespace(namespace);
    }

    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        CellMerging.merge(cell, namespace, target, sources, function::merge);
    }
}

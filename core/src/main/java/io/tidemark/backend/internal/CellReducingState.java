package io.tidemark.backend.internal;

import io.tidemark.backend.MergingState;
import io.tidemark.state.ReduceFunction;
import io.tidemark.state.ReducingState;
import java.util.Collection;
import java.util.Objects;

/** {@link ReducingState} over a {@link ValueCell}. */
final class CellReducingState<N, T> implements ReducingState<T>, MergingState<N> {
    private N namespace;
    private final ValueCell<N, T> cell;
    private final ReduceFunction<T> function;

    CellReducingState(ValueCell<N, T> cell, ReduceFunction<T> function) {
        this.cell = cell;
        this.function = function;
    }

    @Override
    public T get() {
        return cell.get();
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "reducing state value");
        T current = cell.getForMutation();
        cell.put(current == null ? value : function.reduce(current, value));
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
        CellMerging.merge(cell, namespace, target, sources, function::reduce);
    }
}

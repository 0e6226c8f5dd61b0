package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.ValueState;

/** {@link ValueState} over a {@link ValueCell}, applying the descriptor's default. */
final class CellValueState<N, T> implements ValueState<T>, NamespacedState<N> {
    private final ValueCell<N, T> cell;
    private final T defaultValue;

    CellValueState(ValueCell<N, T> cell, T defaultValue) {
        this.cell = cell;
        this.defaultValue = defaultValue;
    }

    @Override
    public T value() {
        T value = cell.get();
        return value == null ? defaultValue : value;
    }

    @Override
    public void update(T value) {
        cell.put(value);
    }

    @Override
    public void clear() {
        cell.clear();
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        cell.setCurrentNamespace(namespace);
    }
}

package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.DoubleValueState;

/** {@link DoubleValueState} with TTL, over a {@link ValueCell} of boxed doubles. */
final class CellDoubleState<N> implements DoubleValueState, NamespacedState<N> {
    private final ValueCell<N, Double> cell;
    private final double defaultValue;

    CellDoubleState(ValueCell<N, Double> cell, double defaultValue) {
        this.cell = cell;
        this.defaultValue = defaultValue;
    }

    @Override
    public double get() {
        Double value = cell.get();
        return value == null ? defaultValue : value;
    }

    @Override
    public void set(double value) {
        cell.put(value);
    }

    @Override
    public double add(double delta) {
        double next = get() + delta;
        cell.put(next);
        return next;
    }

    @Override
    public boolean isPresent() {
        return cell.get() != null;
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

package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.LongValueState;

/** {@link LongValueState} with TTL, over a {@link ValueCell} of boxed longs (allocates; TTL is not the hot path). */
final class CellLongState<N> implements LongValueState, NamespacedState<N> {
    private final ValueCell<N, Long> cell;
    private final long defaultValue;

    CellLongState(ValueCell<N, Long> cell, long defaultValue) {
        this.cell = cell;
        this.defaultValue = defaultValue;
    }

    @Override
    public long get() {
        Long value = cell.get();
        return value == null ? defaultValue : value;
    }

    @Override
    public void set(long value) {
        cell.put(value);
    }

    @Override
    public long add(long delta) {
        long next = get() + delta;
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

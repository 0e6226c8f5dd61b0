package io.tidemark.backend.heap;

import io.tidemark.backend.internal.InternalDoubleState;

/** Double state on the heap; boxes each new value. */
final class HeapDoubleState<N> extends AbstractHeapState<N> implements InternalDoubleState<N> {
    private final double defaultValue;

    HeapDoubleState(HeapKeyedStateBackend<?> backend, HeapStateTable table, String name, double defaultValue) {
        super(backend, table, name);
        this.defaultValue = defaultValue;
    }

    @Override
    public double get() {
        Object value = stored();
        return value == null ? defaultValue : (Double) value;
    }

    @Override
    public void set(double value) {
        store(value);
    }

    @Override
    public double add(double delta) {
        double next = get() + delta;
        store(next);
        return next;
    }

    @Override
    public boolean isPresent() {
        return stored() != null;
    }
}

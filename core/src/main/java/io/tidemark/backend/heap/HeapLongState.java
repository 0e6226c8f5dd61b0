package io.tidemark.backend.heap;

import io.tidemark.backend.internal.InternalLongState;

/** Long state on the heap; boxes each new value (the off-heap backend is the allocation-free one). */
final class HeapLongState<N> extends AbstractHeapState<N> implements InternalLongState<N> {
    private final long defaultValue;

    HeapLongState(HeapKeyedStateBackend<?> backend, HeapStateTable table, String name, long defaultValue) {
        super(backend, table, name);
        this.defaultValue = defaultValue;
    }

    @Override
    public long get() {
        Object value = stored();
        return value == null ? defaultValue : (Long) value;
    }

    @Override
    public void set(long value) {
        store(value);
    }

    @Override
    public long add(long delta) {
        long next = get() + delta;
        store(next);
        return next;
    }

    @Override
    public boolean isPresent() {
        return stored() != null;
    }
}

package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalLongState;
import io.tidemark.serialization.StateSerializer;

/** Long state: 8-byte values inline in fixed-slot tables when key and namespace have fixed lengths. No allocation. */
final class OffHeapLongState<N> extends OffHeapState<N> implements InternalLongState<N> {
    private final long defaultValue;

    OffHeapLongState(
            OffHeapKeyedStateBackend<?> backend,
            StateTables tables,
            StateSerializer<N> namespaceSerializer,
            long defaultValue) {
        super(backend, tables, namespaceSerializer);
        this.defaultValue = defaultValue;
    }

    @Override
    public long get() {
        check();
        return tables.getBits(this, defaultValue);
    }

    @Override
    public void set(long value) {
        check();
        tables.putBits(this, value);
    }

    @Override
    public long add(long delta) {
        check();
        return tables.addBits(this, delta, false, defaultValue);
    }

    @Override
    public boolean isPresent() {
        check();
        return tables.containsBits(this);
    }
}

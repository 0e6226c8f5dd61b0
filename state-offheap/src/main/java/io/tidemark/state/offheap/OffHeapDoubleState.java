package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalDoubleState;
import io.tidemark.serialization.StateSerializer;

/** Double state: the raw bits of the double stored like a long. No allocation. */
final class OffHeapDoubleState<N> extends OffHeapState<N> implements InternalDoubleState<N> {
    private final long defaultBits;

    OffHeapDoubleState(
            OffHeapKeyedStateBackend<?> backend,
            StateTables tables,
            StateSerializer<N> namespaceSerializer,
            double defaultValue) {
        super(backend, tables, namespaceSerializer);
        this.defaultBits = Double.doubleToRawLongBits(defaultValue);
    }

    @Override
    public double get() {
        check();
        return Double.longBitsToDouble(tables.getBits(this, defaultBits));
    }

    @Override
    public void set(double value) {
        check();
        tables.putBits(this, Double.doubleToRawLongBits(value));
    }

    @Override
    public double add(double delta) {
        check();
        return Double.longBitsToDouble(tables.addBits(this, Double.doubleToRawLongBits(delta), true, defaultBits));
    }

    @Override
    public boolean isPresent() {
        check();
        return tables.containsBits(this);
    }
}

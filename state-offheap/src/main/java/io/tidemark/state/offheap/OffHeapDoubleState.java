package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalDoubleState;
import io.tidemark.serialization.StateSerializer;
import org.agrona.UnsafeApi;

/** Double state: the raw bits of the double stored like {@link OffHeapLongState}'s long. No allocation. */
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
        if (tables.fixed) {
            final long address = tables.readAddress(this);
            return Double.longBitsToDouble(address == 0 ? defaultBits : UnsafeApi.getLong(address));
        }
        return Double.longBitsToDouble(tables.readBits(this, defaultBits));
    }

    @Override
    public void set(double value) {
        check();
        if (tables.fixed) {
            UnsafeApi.putLong(tables.writeAddress(this, tables.fixedTable()), Double.doubleToRawLongBits(value));
            return;
        }
        tables.writeBits(this, Double.doubleToRawLongBits(value));
    }

    @Override
    public double add(double delta) {
        check();
        if (tables.fixed) {
            final FixedTable table = tables.fixedTable();
            final long address = tables.writeAddress(this, table);
            final double current = Double.longBitsToDouble(table.inserted() ? defaultBits : UnsafeApi.getLong(address));
            final double next = current + delta;
            UnsafeApi.putLong(address, Double.doubleToRawLongBits(next));
            return next;
        }
        final double next = Double.longBitsToDouble(tables.readBits(this, defaultBits)) + delta;
        tables.writeBits(this, Double.doubleToRawLongBits(next));
        return next;
    }

    @Override
    public boolean isPresent() {
        check();
        return tables.fixed ? tables.readAddress(this) != 0 : tables.containsRecord(this);
    }
}

package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalLongState;
import io.tidemark.serialization.StateSerializer;
import org.agrona.UnsafeApi;

/**
 * Long state. On fixed-length keys and namespaces the value is inline in a fused table slot and every operation is a
 * probe plus one 8-byte load or store of page memory: no allocation, no atomic. Otherwise the 8 bytes are a record
 * value.
 */
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
        if (tables.fixed) {
            final long address = tables.readAddress(this);
            return address == 0 ? defaultValue : UnsafeApi.getLong(address);
        }
        return tables.readBits(this, defaultValue);
    }

    @Override
    public void set(long value) {
        check();
        if (tables.fixed) {
            UnsafeApi.putLong(tables.writeAddress(this, tables.fixedTable()), value);
            return;
        }
        tables.writeBits(this, value);
    }

    @Override
    public long add(long delta) {
        check();
        if (tables.fixed) {
            final FixedTable table = tables.fixedTable();
            final long address = tables.writeAddress(this, table);
            final long next = (table.inserted() ? defaultValue : UnsafeApi.getLong(address)) + delta;
            UnsafeApi.putLong(address, next);
            return next;
        }
        final long next = tables.readBits(this, defaultValue) + delta;
        tables.writeBits(this, next);
        return next;
    }

    @Override
    public boolean isPresent() {
        check();
        return tables.fixed ? tables.readAddress(this) != 0 : tables.containsRecord(this);
    }
}

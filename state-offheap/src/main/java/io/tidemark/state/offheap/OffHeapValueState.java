package io.tidemark.state.offheap;

import io.tidemark.SerializationException;
import io.tidemark.backend.internal.InternalValueState;
import io.tidemark.serialization.StateSerializer;

/**
 * Value state. With a fixed-length value serializer (and fixed-length key and namespace) the serialized value is inline
 * in a fused table slot: a read deserializes straight from page memory, a write serializes into scratch first (so a
 * failing serializer changes nothing) and copies the bytes into the slot. Otherwise the value is a record. Lookups do
 * not allocate; deserializing does what the serializer does.
 */
final class OffHeapValueState<N, T> extends OffHeapState<N> implements InternalValueState<N, T> {
    private final StateSerializer<T> serializer;

    OffHeapValueState(
            OffHeapKeyedStateBackend<?> backend,
            StateTables tables,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<T> serializer) {
        super(backend, tables, namespaceSerializer);
        this.serializer = serializer;
    }

    @Override
    public T value() {
        check();
        if (tables.fixed) {
            final long address = tables.readAddress(this);
            return address == 0
                    ? null
                    : serializer.read(backend.access().view.wrapAt(address, tables.valueLength), 0, tables.valueLength);
        }
        final int length = tables.readValue(this, backend.readScratch);
        return length < 0 ? null : serializer.read(backend.readScratch, 0, length);
    }

    @Override
    public T valueForMutation() {
        return value();
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
            return;
        }
        check();
        final int length = serializer.write(value, backend.writeScratch, 0);
        if (tables.fixed) {
            if (length != tables.valueLength) {
                throw new SerializationException("fixed-length serializer wrote another length: state=" + name
                        + ", serializer=" + serializer + ", length=" + length + ", expected=" + tables.valueLength);
            }
            final long address = tables.writeAddress(this, tables.fixedTable());
            backend.writeScratch.getBytes(0, backend.access().view.wrapAt(address, length), 0, length);
            return;
        }
        tables.putValue(this, backend.writeScratch, length);
    }
}

package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalValueState;
import io.tidemark.serialization.StateSerializer;

/** Value state: the serialized value in a record table. Reads deserialize (allocate); lookups do not. */
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
        tables.putValue(this, backend.writeScratch, length);
    }
}

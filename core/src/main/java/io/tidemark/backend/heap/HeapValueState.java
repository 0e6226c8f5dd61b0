package io.tidemark.backend.heap;

import io.tidemark.backend.internal.InternalValueState;
import io.tidemark.serialization.StateSerializer;

/** Value state on the heap; values are stored by reference and must not be mutated after {@link #update}. */
final class HeapValueState<N, T> extends AbstractHeapState<N> implements InternalValueState<N, T> {
    private final StateSerializer<T> serializer;

    HeapValueState(HeapKeyedStateBackend<?> backend, HeapStateTable table, String name, StateSerializer<T> serializer) {
        super(backend, table, name);
        this.serializer = serializer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T value() {
        return (T) stored();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T valueForMutation() {
        backend.checkKeyFor(name);
        return (T) table.getForMutation(
                backend.currentKeyGroup(), backend.currentKey(), namespace, v -> serializer.copy((T) v));
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
        } else {
            store(value);
        }
    }
}

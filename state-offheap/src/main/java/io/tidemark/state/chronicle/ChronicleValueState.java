package io.tidemark.state.chronicle;

import io.tidemark.backend.internal.InternalValueState;
import io.tidemark.serialization.StateSerializer;

/** Value state in a Chronicle Map: every read deserializes a fresh object, so the value is never shared. */
final class ChronicleValueState<N, T> extends AbstractChronicleState<N> implements InternalValueState<N, T> {
    private final StateSerializer<T> serializer;

    ChronicleValueState(
            ChronicleKeyedStateBackend<?> backend,
            StateMapFile map,
            String name,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<T> serializer) {
        super(backend, map, name, namespaceSerializer);
        this.serializer = serializer;
    }

    @Override
    public T value() {
        byte[] bytes = storedBytes();
        return bytes == null ? null : read(serializer, bytes);
    }

    @Override
    public T valueForMutation() {
        return value();
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
        } else {
            storeBytes(serialize(serializer, value));
        }
    }
}

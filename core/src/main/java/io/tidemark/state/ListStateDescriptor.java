package io.tidemark.state;

import io.tidemark.serialization.StateSerializer;

/** Describes a {@link ListState}; the serializer is the element serializer. */
public final class ListStateDescriptor<T> extends StateDescriptor<ListState<T>, T> {
    public ListStateDescriptor(String name, StateSerializer<T> elementSerializer) {
        super(name, elementSerializer);
    }

    @Override
    public StateType type() {
        return StateType.LIST;
    }
}

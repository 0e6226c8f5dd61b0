package io.tidemark.state;

import io.tidemark.serialization.StateSerializer;

/** Describes a {@link ValueState}. */
public final class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>, T> {
    private final T defaultValue;

    public ValueStateDescriptor(String name, StateSerializer<T> serializer) {
        this(name, serializer, null);
    }

    /** @param defaultValue what {@link ValueState#value()} returns when absent; must be immutable or never mutated */
    public ValueStateDescriptor(String name, StateSerializer<T> serializer, T defaultValue) {
        super(name, serializer);
        this.defaultValue = defaultValue;
    }

    public T defaultValue() {
        return defaultValue;
    }

    @Override
    public StateType type() {
        return StateType.VALUE;
    }
}

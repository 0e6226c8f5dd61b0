package io.tidemark.state;

import io.tidemark.serialization.DoubleSerializer;

/** Describes a {@link DoubleValueState}. */
public final class DoubleValueStateDescriptor extends StateDescriptor<DoubleValueState, Double> {
    private final double defaultValue;

    public DoubleValueStateDescriptor(String name) {
        this(name, 0.0);
    }

    public DoubleValueStateDescriptor(String name, double defaultValue) {
        super(name, DoubleSerializer.INSTANCE);
        this.defaultValue = defaultValue;
    }

    public double defaultValue() {
        return defaultValue;
    }

    @Override
    public StateType type() {
        return StateType.DOUBLE_VALUE;
    }
}

package io.tidemark.state;

import io.tidemark.serialization.LongSerializer;

/** Describes a {@link LongValueState}. */
public final class LongValueStateDescriptor extends StateDescriptor<LongValueState, Long> {
    private final long defaultValue;

    public LongValueStateDescriptor(String name) {
        this(name, 0L);
    }

    public LongValueStateDescriptor(String name, long defaultValue) {
        super(name, LongSerializer.INSTANCE);
        this.defaultValue = defaultValue;
    }

    public long defaultValue() {
        return defaultValue;
    }

    @Override
    public StateType type() {
        return StateType.LONG_VALUE;
    }
}

package io.tidemark.state;

import io.tidemark.ConfigurationException;
import io.tidemark.serialization.StateSerializer;

/** Describes a {@link ReducingState}. */
public final class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>, T> {
    private final ReduceFunction<T> reduceFunction;

    public ReducingStateDescriptor(String name, ReduceFunction<T> reduceFunction, StateSerializer<T> serializer) {
        super(name, serializer);
        if (reduceFunction == null) {
            throw new ConfigurationException("reducing state function missing: state=" + name);
        }
        this.reduceFunction = reduceFunction;
    }

    public ReduceFunction<T> reduceFunction() {
        return reduceFunction;
    }

    @Override
    public StateType type() {
        return StateType.REDUCING;
    }
}

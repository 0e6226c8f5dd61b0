package io.tidemark.state;

import io.tidemark.ConfigurationException;
import io.tidemark.serialization.StateSerializer;

/** Describes an {@link AggregatingState}; {@link #serializer()} is the accumulator serializer. */
public final class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<AggregatingState<IN, OUT>, ACC> {
    private final AggregateFunction<IN, ACC, OUT> aggregateFunction;

    public AggregatingStateDescriptor(
            String name,
            AggregateFunction<IN, ACC, OUT> aggregateFunction,
            StateSerializer<ACC> accumulatorSerializer) {
        super(name, accumulatorSerializer);
        if (aggregateFunction == null) {
            throw new ConfigurationException("aggregating state function missing: state=" + name);
        }
        this.aggregateFunction = aggregateFunction;
    }

    public AggregateFunction<IN, ACC, OUT> aggregateFunction() {
        return aggregateFunction;
    }

    @Override
    public StateType type() {
        return StateType.AGGREGATING;
    }
}

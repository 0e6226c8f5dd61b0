package io.tidemark.pipeline.function;

import io.tidemark.serialization.StateSerializer;

/**
 * The incremental aggregate of an event-time tumbling window. The accumulator is keyed state in the window's namespace,
 * so it is checkpointed and rescaled with its key.
 */
public interface WindowAggregate<K, IN, ACC, OUT> {
    ACC createAccumulator();

    ACC add(IN value, ACC accumulator);

    OUT result(K key, long windowStart, long windowEnd, ACC accumulator);

    StateSerializer<ACC> accumulatorSerializer();
}

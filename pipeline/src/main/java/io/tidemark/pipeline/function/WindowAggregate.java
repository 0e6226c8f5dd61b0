package io.tidemark.pipeline.function;

import io.tidemark.serialization.StateSerializer;

/**
 * The incremental aggregate of an event-time tumbling or sliding window (session windows need a
 * {@link MergingWindowAggregate}). The accumulator is keyed state in the window's namespace, so it is checkpointed and
 * rescaled with its key. For a {@link ProcessWindowFunction} over the window instead, see {@link WindowProcessing}.
 */
public interface WindowAggregate<K, IN, ACC, OUT> {
    ACC createAccumulator();

    ACC add(IN value, ACC accumulator);

    OUT result(K key, long windowStart, long windowEnd, ACC accumulator);

    StateSerializer<ACC> accumulatorSerializer();
}

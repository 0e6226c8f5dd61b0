package io.tidemark.pipeline.function;

/**
 * Extracts a primitive {@code long} partition key: with {@code DataStream.keyBy(LongKeySelector)} the exchange computes
 * the key group and the keyed operator sets the key on its backend ({@code KeyedStateBackend.setCurrentKey(long)})
 * without boxing it; the off-heap backend then reaches fused state with no allocation. Must be deterministic.
 */
@FunctionalInterface
public interface LongKeySelector<T> extends KeySelector<T, Long> {
    long getLongKey(T record);

    /** The boxed key, for code that needs an object (timers, queries); the record path never calls it. */
    @Override
    default Long getKey(T record) {
        return getLongKey(record);
    }
}

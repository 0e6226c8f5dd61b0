package io.tidemark.pipeline.function;

/**
 * A {@link WindowAggregate} whose accumulators can be merged, which session windows need: when a record bridges two
 * sessions of a key they become one, and the keyed state backend merges their accumulators with {@link #merge}.
 */
public interface MergingWindowAggregate<K, IN, ACC, OUT> extends WindowAggregate<K, IN, ACC, OUT> {
    /**
     * The accumulator of the union of two windows' records. May change and return either argument; must not keep a
     * reference to the other.
     */
    ACC merge(ACC a, ACC b);
}

package io.tidemark.state;

/**
 * Incremental aggregation: an accumulator is created, values are added to it, and a result is read from it. Called on
 * the operator thread; may return the accumulator passed in after mutating it.
 */
public interface AggregateFunction<IN, ACC, OUT> {
    ACC createAccumulator();

    ACC add(IN value, ACC accumulator);

    OUT getResult(ACC accumulator);

    ACC merge(ACC a, ACC b);
}

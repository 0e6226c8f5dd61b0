package io.tidemark.state;

/**
 * Keeps one accumulator per key and namespace, updated by an {@link AggregateFunction}; {@link #get()} returns the
 * function's result for the accumulator.
 *
 * @param <IN> the type added
 * @param <OUT> the result type
 */
public interface AggregatingState<IN, OUT> extends AppendingState<IN, OUT> {}

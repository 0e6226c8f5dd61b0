package io.tidemark.state;

/**
 * Keeps one value per key and namespace, combined with each added value by a {@link ReduceFunction}.
 *
 * @param <T> the value type
 */
public interface ReducingState<T> extends AppendingState<T, T> {}

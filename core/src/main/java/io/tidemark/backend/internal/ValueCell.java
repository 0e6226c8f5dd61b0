package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;

/**
 * One value per key and namespace, with or without TTL underneath; the building block of value, reducing,
 * aggregating and TTL primitive states. Operator thread only.
 */
interface ValueCell<N, T> extends NamespacedState<N> {
    /** The live value or {@code null}; expired values read as {@code null} and are removed. */
    T get();

    /** Like {@link #get()} but returns an object the caller may mutate before {@link #put}. */
    T getForMutation();

    void put(T value);

    void clear();

    static <N, T> ValueCell<N, T> plain(InternalValueState<N, T> state) {
        return new PlainValueCell<>(state);
    }
}

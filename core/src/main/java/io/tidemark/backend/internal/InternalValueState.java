package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.ValueState;

/**
 * A backend's value state: returns {@code null} when absent (defaults are applied above it).
 *
 * @param <N> namespace type
 * @param <T> stored value type
 */
public interface InternalValueState<N, T> extends ValueState<T>, NamespacedState<N> {
    /**
     * The value as a private object the caller may mutate and then pass to {@link #update}; {@code null} when absent.
     * Backends whose {@link #value()} may return an object shared with a running snapshot copy it here.
     */
    T valueForMutation();
}

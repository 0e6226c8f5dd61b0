package io.tidemark.function;

import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;

/**
 * Where a function gets its keyed state. The returned state follows the operator's current key. Call from
 * {@code open()} on the operator thread and keep the returned object: it is reused for every key.
 */
public interface KeyedStateStore {
    <S extends State> S getState(StateDescriptor<S, ?> descriptor);
}

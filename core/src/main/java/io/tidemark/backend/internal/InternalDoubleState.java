package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.DoubleValueState;

/** A backend's primitive double state (without TTL). */
public interface InternalDoubleState<N> extends DoubleValueState, NamespacedState<N> {}

package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.LongValueState;

/** A backend's primitive long state (without TTL; TTL longs are stored as TTL-wrapped values). */
public interface InternalLongState<N> extends LongValueState, NamespacedState<N> {}

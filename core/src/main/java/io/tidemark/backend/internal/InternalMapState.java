package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.MapState;

/** A backend's map state. */
public interface InternalMapState<N, UK, UV> extends MapState<UK, UV>, NamespacedState<N> {}

package io.tidemark.backend.internal;

import io.tidemark.backend.NamespacedState;
import io.tidemark.state.ListState;

/** A backend's list state. */
public interface InternalListState<N, T> extends ListState<T>, NamespacedState<N> {}

package io.tidemark.backend.internal;

import io.tidemark.backend.MergingState;
import io.tidemark.state.ListState;

/**
 * A backend's list state. Each backend implements {@link #mergeNamespaces} on its own storage (concatenating stored
 * lists, in serialized form where it keeps them so).
 */
public interface InternalListState<N, T> extends ListState<T>, MergingState<N> {}

package io.tidemark.backend;

/**
 * Implemented by every keyed state a backend returns: the runtime sets the namespace (for example a window) that
 * subsequent calls are scoped to. Operator thread only; allocation-free.
 *
 * @param <N> the namespace type
 */
public interface NamespacedState<N> {
    void setCurrentNamespace(N namespace);
}

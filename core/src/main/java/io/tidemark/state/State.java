package io.tidemark.state;

/**
 * Base of every keyed and operator state. Keyed state is scoped to the backend's current key and the state's current
 * namespace; it is owned by one thread, the operator thread of its key-group range, and must not be used from others.
 */
public interface State {
    /** Removes the value under the current key and namespace. */
    void clear();
}

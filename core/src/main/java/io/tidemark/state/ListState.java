package io.tidemark.state;

import java.util.List;

/**
 * A list of values per key and namespace. {@link #get()} returns a snapshot copy the caller may keep.
 *
 * @param <T> the element type
 */
public interface ListState<T> extends AppendingState<T, Iterable<T>> {
    /** Replaces the list; an empty list clears the state. */
    void update(List<T> values);

    /** Appends every element. */
    void addAll(List<T> values);
}

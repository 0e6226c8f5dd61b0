package io.tidemark.state;

/**
 * A state that values are added to and that yields a combined result.
 *
 * @param <IN> the type added
 * @param <OUT> the type returned
 */
public interface AppendingState<IN, OUT> extends State {
    /** The combined result, or {@code null} when the state is empty (for lists: an empty iterable). */
    OUT get();

    /** Adds {@code value}; a {@code null} value is refused with {@link NullPointerException}. */
    void add(IN value);
}

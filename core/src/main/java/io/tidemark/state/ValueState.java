package io.tidemark.state;

/**
 * One value per key and namespace.
 *
 * @param <T> the value type
 */
public interface ValueState<T> extends State {
    /** The value, or the descriptor's default value when absent or expired. May allocate (deserialization). */
    T value();

    /** Sets the value; {@code null} clears it. */
    void update(T value);
}

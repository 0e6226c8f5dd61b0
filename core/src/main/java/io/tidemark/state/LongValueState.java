package io.tidemark.state;

/**
 * A primitive {@code long} per key and namespace for the hot path: no boxing, no allocation on any method in steady
 * state (on the off-heap backend once the key has been inserted; the heap backend allocates one holder per new key).
 */
public interface LongValueState extends State {
    /** The value, or the descriptor's default when absent or expired. */
    long get();

    void set(long value);

    /** Adds {@code delta} to the value (absent counts as the default) and returns the new value. */
    long add(long delta);

    /** True when a value is stored (and not expired) under the current key and namespace. */
    boolean isPresent();
}

package io.tidemark.jmh.backend;

/**
 * A value state holding one long per {@code long} key, the key passed as a primitive (the trading-system case: keys
 * come out of a {@code long[]} or a decoded message, never as objects). {@code key} is the key itself, not an index.
 * Implementations must not box on any path.
 */
public interface PrimitiveLongValueState {
    /** Returns the value, or {@link Long#MIN_VALUE} when the key has none. */
    long get(long key);

    void put(long key, long value);

    /** Read-modify-write: adds one to the key's value and returns the new value. */
    long increment(long key);
}

package io.tidemark.jmh.backend;

/** A value state holding one long per key. {@code key} is a key index. */
public interface LongValueState {
    /** Returns the value, or {@link Long#MIN_VALUE} when the key has none. */
    long get(int key) throws Exception;

    void put(int key, long value) throws Exception;
}

package io.tidemark.jmh.backend;

/** A value state holding one long per key. {@code key} is a key index. */
public interface LongValueState {
    /** Returns the value, or {@link Long#MIN_VALUE} when the key has none. */
    long get(int key) throws Exception;

    void put(int key, long value) throws Exception;

    /**
     * Read-modify-write: adds one to the key's value and returns the new value. Adapters override this when their API
     * does it with one key selection (Flink: select once, then value and update; Tidemark: {@code add(1)}).
     */
    default long increment(int key) throws Exception {
        long next = get(key) + 1;
        put(key, next);
        return next;
    }
}

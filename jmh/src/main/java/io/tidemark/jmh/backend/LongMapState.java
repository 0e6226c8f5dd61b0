package io.tidemark.jmh.backend;

/** A map state of long user keys to long values per key. {@code key} and {@code userKey} are indexes. */
public interface LongMapState {
    /** Returns the value, or {@link Long#MIN_VALUE} when the user key is absent. */
    long get(int key, int userKey) throws Exception;

    void put(int key, int userKey, long value) throws Exception;

    boolean contains(int key, int userKey) throws Exception;

    /**
     * Loads a whole map at once (setup only, not measured): {@code values[i]} becomes the value of user key {@code i}.
     * Adapters hand it to the state's {@code putAll}, so loading large maps does not cost one put per entry on a store
     * whose put grows with the map. The default puts the entries one by one.
     */
    default void putAll(int key, long[] values) throws Exception {
        for (int i = 0; i < values.length; i++) {
            put(key, i, values[i]);
        }
    }

    /** Iterates all entries of the key's map; returns the sum of user keys and values. */
    long sum(int key) throws Exception;
}

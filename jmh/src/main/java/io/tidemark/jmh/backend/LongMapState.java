package io.tidemark.jmh.backend;

/** A map state of long user keys to long values per key. {@code key} and {@code userKey} are indexes. */
public interface LongMapState {
    /** Returns the value, or {@link Long#MIN_VALUE} when the user key is absent. */
    long get(int key, int userKey) throws Exception;

    void put(int key, int userKey, long value) throws Exception;

    boolean contains(int key, int userKey) throws Exception;

    /** Iterates all entries of the key's map; returns the sum of user keys and values. */
    long sum(int key) throws Exception;
}

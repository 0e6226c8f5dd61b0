package io.tidemark.jmh.backend;

/** A value state holding a fixed-size byte array per key. {@code key} is a key index. */
public interface BytesValueState {
    /**
     * Returns the value, or null when the key has none. The array may be the stored one (heap backends) or a buffer
     * the adapter reuses on the next call; a caller may change it and hand it back to {@link #put}.
     */
    byte[] get(int key) throws Exception;

    void put(int key, byte[] value) throws Exception;
}

package io.tidemark.state;

import java.util.Map;

/**
 * A map per key and namespace. Iteration returns entries in no particular order; the iterables are snapshots that stay
 * valid after later writes.
 *
 * @param <K> the user key type (not the partition key)
 * @param <V> the value type
 */
public interface MapState<K, V> extends State {
    V get(K key);

    void put(K key, V value);

    void putAll(Map<K, V> map);

    void remove(K key);

    boolean contains(K key);

    Iterable<Map.Entry<K, V>> entries();

    Iterable<K> keys();

    Iterable<V> values();

    boolean isEmpty();
}

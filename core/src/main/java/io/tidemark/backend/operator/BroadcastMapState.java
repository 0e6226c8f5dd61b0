package io.tidemark.backend.operator;

import io.tidemark.state.MapState;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Broadcast state: a plain map owned by the operator thread. */
final class BroadcastMapState<K, V> implements MapState<K, V> {
    final Map<K, V> map = new HashMap<>();

    @Override
    public V get(K key) {
        return map.get(key);
    }

    @Override
    public void put(K key, V value) {
        map.put(key, value);
    }

    @Override
    public void putAll(Map<K, V> entries) {
        map.putAll(entries);
    }

    @Override
    public void remove(K key) {
        map.remove(key);
    }

    @Override
    public boolean contains(K key) {
        return map.containsKey(key);
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries() {
        List<Map.Entry<K, V>> entries = new ArrayList<>(map.size());
        for (Map.Entry<K, V> entry : map.entrySet()) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()));
        }
        return entries;
    }

    @Override
    public Iterable<K> keys() {
        return new ArrayList<>(map.keySet());
    }

    @Override
    public Iterable<V> values() {
        return new ArrayList<>(map.values());
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public void clear() {
        map.clear();
    }
}

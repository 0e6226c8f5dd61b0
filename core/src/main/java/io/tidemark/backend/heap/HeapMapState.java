package io.tidemark.backend.heap;

import io.tidemark.backend.internal.InternalMapState;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Map state on the heap: a {@link HashMap} per key and namespace, copied before change if a snapshot holds it. */
final class HeapMapState<N, UK, UV> extends AbstractHeapState<N> implements InternalMapState<N, UK, UV> {
    HeapMapState(HeapKeyedStateBackend<?> backend, HeapStateTable table, String name) {
        super(backend, table, name);
    }

    @SuppressWarnings("unchecked")
    private Map<UK, UV> readMap() {
        Map<UK, UV> map = (Map<UK, UV>) stored();
        return map == null ? Collections.emptyMap() : map;
    }

    @SuppressWarnings("unchecked")
    private Map<UK, UV> mutableMap(boolean create) {
        backend.checkKeyFor(name);
        Map<UK, UV> map = (Map<UK, UV>) table.getForMutation(
                backend.currentKeyGroup(), backend.currentKey(), namespace, v -> new HashMap<>((Map<UK, UV>) v));
        if (map == null && create) {
            map = new HashMap<>();
            store(map);
        }
        return map;
    }

    @Override
    public UV get(UK key) {
        return readMap().get(key);
    }

    @Override
    public void put(UK key, UV value) {
        mutableMap(true).put(key, value);
    }

    @Override
    public void putAll(Map<UK, UV> map) {
        if (!map.isEmpty()) {
            mutableMap(true).putAll(map);
        }
    }

    @Override
    public void remove(UK key) {
        if (!readMap().containsKey(key)) {
            return;
        }
        Map<UK, UV> map = mutableMap(false);
        map.remove(key);
        if (map.isEmpty()) {
            clear();
        }
    }

    @Override
    public boolean contains(UK key) {
        return readMap().containsKey(key);
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() {
        List<Map.Entry<UK, UV>> entries = new ArrayList<>();
        for (Map.Entry<UK, UV> entry : readMap().entrySet()) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()));
        }
        return entries;
    }

    @Override
    public Iterable<UK> keys() {
        return new ArrayList<>(readMap().keySet());
    }

    @Override
    public Iterable<UV> values() {
        return new ArrayList<>(readMap().values());
    }

    @Override
    public boolean isEmpty() {
        return readMap().isEmpty();
    }
}

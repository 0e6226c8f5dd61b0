package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalMapState;
import io.tidemark.serialization.MapSerializer;
import io.tidemark.serialization.StateSerializer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Map state: one record per (key, namespace) whose value is the canonical {@link MapSerializer} form of the user map.
 * Every operation deserializes the map (and a change serializes it back): cost grows with the map of one key, which
 * suits small per-key maps; see {@code docs/state-backends.md} for the limit.
 */
final class OffHeapMapState<N, UK, UV> extends OffHeapState<N> implements InternalMapState<N, UK, UV> {
    private final MapSerializer<UK, UV> mapSerializer;

    OffHeapMapState(
            OffHeapKeyedStateBackend<?> backend,
            StateTables tables,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<UK> userKeySerializer,
            StateSerializer<UV> valueSerializer) {
        super(backend, tables, namespaceSerializer);
        this.mapSerializer = new MapSerializer<>(userKeySerializer, valueSerializer);
    }

    private Map<UK, UV> readMap() {
        check();
        final int length = tables.readValue(this, backend.readScratch);
        return length < 0 ? Collections.emptyMap() : mapSerializer.read(backend.readScratch, 0, length);
    }

    private Map<UK, UV> mutableMap() {
        final Map<UK, UV> map = readMap();
        return map.isEmpty() ? new java.util.LinkedHashMap<>() : map;
    }

    private void store(Map<UK, UV> map) {
        if (map.isEmpty()) {
            clear();
            return;
        }
        final int length = mapSerializer.write(map, backend.writeScratch, 0);
        tables.putValue(this, backend.writeScratch, length);
    }

    @Override
    public UV get(UK key) {
        return readMap().get(key);
    }

    @Override
    public void put(UK key, UV value) {
        final Map<UK, UV> map = mutableMap();
        map.put(key, value);
        store(map);
    }

    @Override
    public void putAll(Map<UK, UV> entries) {
        if (entries.isEmpty()) {
            return;
        }
        final Map<UK, UV> map = mutableMap();
        map.putAll(entries);
        store(map);
    }

    @Override
    public void remove(UK key) {
        final Map<UK, UV> map = readMap();
        if (map.containsKey(key)) {
            map.remove(key);
            store(map);
        }
    }

    @Override
    public boolean contains(UK key) {
        return readMap().containsKey(key);
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() {
        final List<Map.Entry<UK, UV>> entries = new ArrayList<>();
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

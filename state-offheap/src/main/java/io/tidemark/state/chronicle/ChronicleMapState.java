package io.tidemark.state.chronicle;

import io.tidemark.backend.internal.InternalMapState;
import io.tidemark.serialization.MapSerializer;
import io.tidemark.serialization.StateSerializer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Map state in a Chronicle Map: the whole user map per key and namespace, in {@link MapSerializer}'s format. Simple and
 * exact; every operation decodes the user map and every change rewrites it, so cost grows with the user map's size.
 */
final class ChronicleMapState<N, UK, UV> extends AbstractChronicleState<N> implements InternalMapState<N, UK, UV> {
    private final MapSerializer<UK, UV> serializer;

    ChronicleMapState(
            ChronicleKeyedStateBackend<?> backend,
            StateMapFile map,
            String name,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<UK> userKeySerializer,
            StateSerializer<UV> valueSerializer) {
        super(backend, map, name, namespaceSerializer);
        this.serializer = new MapSerializer<>(userKeySerializer, valueSerializer);
    }

    private Map<UK, UV> readMap() {
        byte[] bytes = storedBytes();
        return bytes == null ? Collections.emptyMap() : read(serializer, bytes);
    }

    private void writeMap(Map<UK, UV> userMap) {
        if (userMap.isEmpty()) {
            clear();
        } else {
            storeBytes(serialize(serializer, userMap));
        }
    }

    private Map<UK, UV> mutableMap() {
        byte[] bytes = storedBytes();
        return bytes == null ? new LinkedHashMap<>() : read(serializer, bytes);
    }

    @Override
    public UV get(UK key) {
        return readMap().get(key);
    }

    @Override
    public void put(UK key, UV value) {
        Map<UK, UV> userMap = mutableMap();
        userMap.put(key, value);
        writeMap(userMap);
    }

    @Override
    public void putAll(Map<UK, UV> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<UK, UV> userMap = mutableMap();
        userMap.putAll(entries);
        writeMap(userMap);
    }

    @Override
    public void remove(UK key) {
        Map<UK, UV> userMap = mutableMap();
        if (userMap.remove(key) != null) {
            writeMap(userMap);
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
        return storedBytes() == null;
    }
}

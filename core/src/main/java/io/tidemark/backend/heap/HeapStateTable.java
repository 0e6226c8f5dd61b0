package io.tidemark.backend.heap;

import io.tidemark.keygroup.KeyGroupRange;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The entries of one state, one hash map per key group, with copy-on-write for asynchronous snapshots.
 *
 * <p>{@link #capture()} hands the current maps to a snapshot and bumps the version: from then on a map is copied
 * before its first change (once per key group and snapshot), and an entry created before the snapshot is replaced,
 * never changed in place, so the captured maps and their entries stay exactly as they were at the capture. Operator
 * thread only, except that captured maps are read by the snapshot thread.
 */
final class HeapStateTable {
    /** A stored value; {@code version} is the snapshot version it was created in. */
    static final class Entry {
        Object value;
        final int version;

        Entry(Object value, int version) {
            this.value = value;
            this.version = version;
        }
    }

    /** Key and namespace of an entry. */
    record StateKey(Object key, Object namespace) {}

    private final int startKeyGroup;
    private final HashMap<StateKey, Entry>[] maps;
    private final int[] mapVersions;
    private int version;

    @SuppressWarnings({"unchecked", "rawtypes"})
    HeapStateTable(KeyGroupRange range) {
        this.startKeyGroup = range.startKeyGroup();
        this.maps = new HashMap[range.size()];
        this.mapVersions = new int[range.size()];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = new HashMap<>();
        }
    }

    Object get(int keyGroup, Object key, Object namespace) {
        Entry entry = maps[keyGroup - startKeyGroup].get(new StateKey(key, namespace));
        return entry == null ? null : entry.value;
    }

    void put(int keyGroup, Object key, Object namespace, Object value) {
        ownedMap(keyGroup).put(new StateKey(key, namespace), new Entry(value, version));
    }

    void remove(int keyGroup, Object key, Object namespace) {
        StateKey stateKey = new StateKey(key, namespace);
        if (maps[keyGroup - startKeyGroup].containsKey(stateKey)) {
            ownedMap(keyGroup).remove(stateKey);
        }
    }

    /**
     * The value under key and namespace as an object private to the writer, copying it with {@code copier} if a
     * snapshot may still read it; {@code null} when absent.
     */
    Object getForMutation(int keyGroup, Object key, Object namespace, UnaryOperator<Object> copier) {
        StateKey stateKey = new StateKey(key, namespace);
        Entry entry = maps[keyGroup - startKeyGroup].get(stateKey);
        if (entry == null) {
            return null;
        }
        if (entry.version != version) {
            entry = new Entry(copier.apply(entry.value), version);
            ownedMap(keyGroup).put(stateKey, entry);
        }
        return entry.value;
    }

    /** Freezes the current maps for a snapshot; O(number of key groups). */
    Map<StateKey, Entry>[] capture() {
        Map<StateKey, Entry>[] captured = maps.clone();
        version++;
        return captured;
    }

    /** Passes the key of every entry to {@code sink}, once per (key, namespace). */
    void forEachKey(Consumer<Object> sink) {
        for (HashMap<StateKey, Entry> map : maps) {
            for (StateKey stateKey : map.keySet()) {
                sink.accept(stateKey.key());
            }
        }
    }

    long size() {
        long size = 0;
        for (HashMap<StateKey, Entry> map : maps) {
            size += map.size();
        }
        return size;
    }

    private HashMap<StateKey, Entry> ownedMap(int keyGroup) {
        int index = keyGroup - startKeyGroup;
        if (mapVersions[index] != version) {
            maps[index] = new HashMap<>(maps[index]);
            mapVersions[index] = version;
        }
        return maps[index];
    }
}

package io.tidemark.backend.internal;

import io.tidemark.backend.snapshot.StateMetaInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Entries of one state read from snapshots and not yet claimed by a registration: kept in serialized form, decoded with
 * the right readers when the state is registered, or written back unchanged if it never is. Grouped by key group so
 * that a snapshot writing them back visits each entry once. Filled on the operator thread during restore, read-only
 * afterwards (snapshot threads may read it).
 */
final class RestoredKeyedState {
    /** One serialized entry. */
    record Entry(int keyGroup, byte[] key, byte[] namespace, byte[] value) {}

    final StateMetaInfo meta;
    private final TreeMap<Integer, List<Entry>> byKeyGroup = new TreeMap<>();

    RestoredKeyedState(StateMetaInfo meta) {
        this.meta = meta;
    }

    void add(Entry entry) {
        byKeyGroup
                .computeIfAbsent(entry.keyGroup(), keyGroup -> new ArrayList<>())
                .add(entry);
    }

    /** The entries of one key group, in the order they were read. */
    List<Entry> entriesOf(int keyGroup) {
        return byKeyGroup.getOrDefault(keyGroup, List.of());
    }

    /** Every entry, key group by key group. */
    Iterable<Entry> entries() {
        Collection<List<Entry>> groups = byKeyGroup.values();
        return () -> groups.stream().flatMap(List::stream).iterator();
    }
}

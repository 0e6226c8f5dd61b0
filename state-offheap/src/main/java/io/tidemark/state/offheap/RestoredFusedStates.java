package io.tidemark.state.offheap;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.IncompatibleStateException;
import io.tidemark.backend.internal.AbstractKeyedStateBackend.RestoredNativeState;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.StateDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;

/**
 * Fused states restored from a native checkpoint that no one registered yet: their tables, one per key group of the
 * backend, in the backend's pages ({@link FusedRestore}). Registering a state of the same name adopts the tables after
 * the checks the common restore path makes (type, TTL setting, serializers compatible as they are, see
 * {@link RestoredLogStates}) and one more: the registered state's key, namespace and value lengths must be the stored
 * ones. A native checkpoint carries unbound states as they are (their tables' pages), a canonical one through
 * {@link #carry}; see {@code docs/spec/offheap-tables.md} §2.5.
 *
 * <p><b>Threads and memory.</b> Owner thread only. Holds one small object and an array of table references per state;
 * {@link #carry} copies the entries to the heap, for one canonical snapshot.
 *
 * <p><b>Errors.</b> {@link IncompatibleStateException} naming the state for a registration that cannot adopt its
 * tables; {@link CorruptCheckpointException} when handles disagree about a state or repeat a table.
 */
final class RestoredFusedStates {
    /** One unbound state: its payload entry, table geometry and tables by key group (relative to the range start). */
    record State(NativeSnapshotFormat.StateEntry entry, FixedTable.Geometry geometry, FixedTable[] tables) {
        String name() {
            return entry.meta().name();
        }
    }

    private final Map<String, State> unbound = new LinkedHashMap<>();
    private final int firstKeyGroup;
    private final int groups;

    RestoredFusedStates(int firstKeyGroup, int groups) {
        this.firstKeyGroup = firstKeyGroup;
        this.groups = groups;
    }

    /** A fused state of a payload, with or without tables in this backend's key groups. */
    void add(NativeSnapshotFormat.StateEntry entry) {
        unbound.computeIfAbsent(entry.meta().name(), name -> new State(entry, null, new FixedTable[groups]));
    }

    /**
     * Adds a restored table of state {@code entry}.
     *
     * @throws CorruptCheckpointException if the state has another geometry in another table, or this table twice
     */
    void add(NativeSnapshotFormat.StateEntry entry, int keyGroup, FixedTable table, String file) {
        final String name = entry.meta().name();
        State state = unbound.get(name);
        if (state == null || state.geometry() == null) {
            state = new State(entry, table.geometry(), state == null ? new FixedTable[groups] : state.tables());
            unbound.put(name, state);
        }
        final FixedTable.Geometry geometry = state.geometry();
        final FixedTable.Geometry other = table.geometry();
        final int group = keyGroup - firstKeyGroup;
        if (geometry.keyLength() != other.keyLength()
                || geometry.namespaceLength() != other.namespaceLength()
                || geometry.valueLength() != other.valueLength()
                || state.tables()[group] != null) {
            throw new CorruptCheckpointException(
                    "offheap snapshot fused tables disagree",
                    file,
                    0,
                    "one table per key group and one geometry per state",
                    "state=" + name + ", keyGroup=" + keyGroup + ", geometry=" + other + ", earlier=" + geometry);
        }
        state.tables()[group] = table;
    }

    boolean isEmpty() {
        return unbound.isEmpty();
    }

    boolean contains(String name) {
        return unbound.containsKey(name);
    }

    List<String> names() {
        return new ArrayList<>(unbound.keySet());
    }

    List<State> unbound() {
        return new ArrayList<>(unbound.values());
    }

    /** Entries of the unbound states' tables. */
    long entryCount() {
        long count = 0;
        for (State state : unbound.values()) {
            for (FixedTable table : state.tables()) {
                count += table == null ? 0 : table.count();
            }
        }
        return count;
    }

    /** Before the common code composes a state: refuses a changed type or TTL setting. */
    void checkDescriptor(StateDescriptor<?, ?> descriptor) {
        final State state = unbound.get(descriptor.name());
        if (state != null) {
            RestoredLogStates.checkShape(state.entry().meta(), descriptor);
        }
    }

    /**
     * Refuses to put a restored fused state in the log: its serializers no longer all have a fixed length.
     *
     * @throws IncompatibleStateException naming the state if it was restored in fused tables
     */
    void refuseLog(String name) {
        if (unbound.containsKey(name)) {
            throw new IncompatibleStateException("state restored from fused tables now has a variable-length key, "
                    + "namespace or value, which native offheap checkpoints do not convert: state=" + name
                    + "; take a savepoint (canonical) and restore that instead");
        }
    }

    /**
     * Adopts the restored tables for a state being created in fused tables of {@code geometry}, or returns null if none
     * were restored under that name. The stored serializers must read the entries as they are.
     *
     * @param valueSerializer the value serializer, or null for long and double state (their 8 bytes are the value)
     * @return the tables by key group (entries may be null)
     * @throws IncompatibleStateException naming the state if a serializer needs a migration or a length changed
     */
    FixedTable[] bind(
            String name,
            FixedTable.Geometry geometry,
            StateSerializer<?> namespaceSerializer,
            StateSerializer<?> valueSerializer) {
        final State state = unbound.get(name);
        if (state == null) {
            return null;
        }
        final StateMetaInfo meta = state.entry().meta();
        RestoredLogStates.requireAsIs(name, "namespace", meta.namespaceSerializer(), namespaceSerializer);
        if (valueSerializer != null) {
            RestoredLogStates.requireAsIs(name, "value", meta.valueSerializer(), valueSerializer);
        }
        final FixedTable.Geometry stored = state.geometry();
        if (stored != null
                && (stored.keyLength() != geometry.keyLength()
                        || stored.namespaceLength() != geometry.namespaceLength()
                        || stored.valueLength() != geometry.valueLength())) {
            throw new IncompatibleStateException("fused state lengths changed: state=" + name + ", old key/namespace/"
                    + "value=" + stored.keyLength() + "/" + stored.namespaceLength() + "/" + stored.valueLength()
                    + ", new=" + geometry.keyLength() + "/" + geometry.namespaceLength() + "/"
                    + geometry.valueLength() + "; take a savepoint (canonical) and restore that instead");
        }
        unbound.remove(name);
        return state.tables();
    }

    /**
     * The unbound states' entries in canonical bytes (key, namespace, value as stored in the slots), read from the live
     * pages on the owner thread, for a canonical snapshot: the heap holds them for that snapshot only.
     */
    List<RestoredNativeState> carry(PageAccess access) {
        final List<RestoredNativeState> carried = new ArrayList<>(unbound.size());
        final TableDecoder decoder = new TableDecoder(access.pageSize);
        for (State state : unbound.values()) {
            final List<byte[][]> entries = new ArrayList<>();
            final List<Integer> keyGroups = new ArrayList<>();
            final FixedTable.Geometry geometry = state.geometry();
            for (int g = 0; geometry != null && g < groups; g++) {
                final FixedTable table = state.tables()[g];
                if (table == null) {
                    continue;
                }
                final int keyGroup = firstKeyGroup + g;
                decoder.decodeLive(access, geometry, table.pages(), (k, kl, n, nl, v, vl) -> {
                    entries.add(new byte[][] {copy(k, kl), copy(n, nl), copy(v, vl)});
                    keyGroups.add(keyGroup);
                });
            }
            final int[] groupsOf = new int[keyGroups.size()];
            for (int i = 0; i < groupsOf.length; i++) {
                groupsOf[i] = keyGroups.get(i);
            }
            carried.add(new RestoredNativeState(state.entry().meta(), groupsOf, entries));
        }
        return carried;
    }

    private static byte[] copy(DirectBuffer buffer, int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes, 0, length);
        return bytes;
    }
}

package io.tidemark.state.offheap;

import io.tidemark.IncompatibleStateException;
import io.tidemark.backend.internal.AbstractKeyedStateBackend;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.StateDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;

/**
 * Log states restored from a native checkpoint that no one registered yet. Their records are in the log under their
 * log state id; registering a state of the same name binds it to that id after the same checks the common restore path
 * makes (shape, TTL setting, serializer compatibility). A native checkpoint carries unbound states as they are (their
 * records are in the log), a canonical one through the backend's {@code carriedNatively}; see {@code docs/spec/hybrid-log.md} §8.3.
 *
 * <p>Owner thread only.
 */
final class RestoredLogStates {
    /** What a registration binds to. */
    record Binding(int logStateId, StateMetaInfo meta) {}

    private final Map<String, NativeSnapshotFormat.StateEntry> unbound = new LinkedHashMap<>();
    private int maxLogStateId = -1;

    void add(NativeSnapshotFormat.StateEntry state) {
        unbound.put(state.meta().name(), state);
        maxLogStateId = Math.max(maxLogStateId, state.logStateId());
    }

    /** The highest log state id restored, or -1. */
    int maxLogStateId() {
        return maxLogStateId;
    }

    boolean isEmpty() {
        return unbound.isEmpty();
    }

    List<String> names() {
        return new ArrayList<>(unbound.keySet());
    }

    List<NativeSnapshotFormat.StateEntry> unbound() {
        return new ArrayList<>(unbound.values());
    }

    /**
     * Before the common code composes a state: refuses a changed type or TTL setting, with the common path's messages.
     */
    void checkDescriptor(StateDescriptor<?, ?> descriptor) {
        final NativeSnapshotFormat.StateEntry state = unbound.get(descriptor.name());
        if (state != null) {
            checkShape(state.meta(), descriptor);
        }
    }

    /** Refuses a registration whose type or TTL setting differs from the restored state's, as the common path does. */
    static void checkShape(StateMetaInfo meta, StateDescriptor<?, ?> descriptor) {
        if (meta.type() != descriptor.type()) {
            throw new IncompatibleStateException("state shape changed: state=" + descriptor.name() + ", old="
                    + meta.type() + ", new=" + descriptor.type());
        }
        if (meta.ttl() != (descriptor.ttlConfig() != null)) {
            throw new IncompatibleStateException("state TTL setting changed: state=" + descriptor.name() + ", old ttl="
                    + meta.ttl() + ", new ttl=" + (descriptor.ttlConfig() != null));
        }
    }

    /**
     * Refuses to put a restored log state in fused tables: its serializers now all have a fixed length.
     *
     * @throws IncompatibleStateException naming the state if it was restored in the log
     */
    void refuseFused(String name) {
        if (unbound.containsKey(name)) {
            throw new IncompatibleStateException("state restored from the log now has a fixed-length key, namespace "
                    + "and value, which native offheap checkpoints do not convert: state=" + name
                    + "; take a savepoint (canonical) and restore that instead");
        }
    }

    /**
     * Binds a state being created to its restored records, or returns null if none were restored under that name. The
     * stored serializers must read the records as they are: a migration needs the canonical path (a savepoint).
     */
    Binding bind(String name, byte shape, StateSerializer<?> namespaceSerializer, StateSerializer<?> valueSerializer) {
        final NativeSnapshotFormat.StateEntry state = unbound.get(name);
        if (state == null) {
            return null;
        }
        if (state.shape() != shape || state.logStateId() < 0) {
            throw new IncompatibleStateException("state storage shape changed: state=" + name + ", old shape="
                    + state.shape() + ", new shape=" + shape);
        }
        requireAsIs(name, "namespace", state.meta().namespaceSerializer(), namespaceSerializer);
        if (valueSerializer != null) {
            requireAsIs(name, "value", state.meta().valueSerializer(), valueSerializer);
        }
        unbound.remove(name);
        return new Binding(state.logStateId(), state.meta());
    }

    /**
     * Refuses a registered serializer that cannot read the stored bytes as they are.
     *
     * @throws IncompatibleStateException naming the state and the role if a migration would be needed
     */
    @SuppressWarnings("unchecked")
    static void requireAsIs(String name, String role, SerializerSnapshot<?> old, StateSerializer<?> registered) {
        final StateSerializer<Object> reader = SerializerSnapshots.readerFor(
                name, role, (SerializerSnapshot<Object>) old, (StateSerializer<Object>) registered);
        if (reader != registered) {
            throw new IncompatibleStateException("state needs a " + role + " migration, which native offheap "
                    + "checkpoints do not do: state=" + name + ", old=" + old + ", new=" + registered.snapshot()
                    + "; take a savepoint (canonical) with the old serializer and restore that to migrate");
        }
    }

    /**
     * The unbound states in canonical bytes, for a canonical snapshot (core's {@code carriedNatively}): read from the
     * live log on the owner thread (nothing changes meanwhile), one key group at a time; held on the heap for that
     * snapshot only.
     */
    List<AbstractKeyedStateBackend.RestoredNativeState> carry(LogStore logs, KeyGroupRange range) {
        final LogCanonicalView view = LogCanonicalView.ofLive(logs, range.startKeyGroup(), range.size());
        final List<AbstractKeyedStateBackend.RestoredNativeState> carried = new ArrayList<>();
        try {
            for (NativeSnapshotFormat.StateEntry state : unbound.values()) {
                final List<byte[][]> entries = new ArrayList<>();
                final List<Integer> groups = new ArrayList<>();
                for (int g = range.startKeyGroup(); g <= range.endKeyGroup(); g++) {
                    final int keyGroup = g;
                    view.forEachEntryBytes(
                            state.logStateId(),
                            state.shape(),
                            state.userKeyFixed(),
                            state.valueFixed(),
                            keyGroup,
                            (k, kl, n, nl, v, vl) -> {
                                entries.add(new byte[][] {copy(k, kl), copy(n, nl), copy(v, vl)});
                                groups.add(keyGroup);
                            });
                }
                final int[] keyGroups = new int[groups.size()];
                for (int i = 0; i < keyGroups.length; i++) {
                    keyGroups[i] = groups.get(i);
                }
                carried.add(new AbstractKeyedStateBackend.RestoredNativeState(state.meta(), keyGroups, entries));
            }
        } finally {
            view.close();
        }
        return carried;
    }

    private static byte[] copy(DirectBuffer buffer, int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes, 0, length);
        return bytes;
    }
}

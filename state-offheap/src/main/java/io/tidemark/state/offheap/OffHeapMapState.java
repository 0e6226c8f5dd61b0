package io.tidemark.state.offheap;

import io.tidemark.backend.internal.InternalMapState;
import io.tidemark.serialization.StateSerializer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;

/**
 * Map state in the log: one record per user key, found through its own index entry (EK), so {@code get}, {@code put},
 * {@code remove} and {@code contains} cost the same whatever the map's size. The records of one map form a chain,
 * newest first, from the map's state-key entry (PK) through each record's link; iteration walks it and emits a record
 * when its EK entry still points at it. {@code clear} deletes the EK entries and appends a MAP_CLEAR record that ends
 * the chain. See {@code docs/spec/hybrid-log.md} §5.3.
 *
 * <p>Owner thread. Lookups allocate only what the serializers return; iteration materializes the entries of one map.
 */
final class OffHeapMapState<N, UK, UV> extends OffHeapState<N> implements InternalMapState<N, UK, UV> {
    /** Iteration visited this many more dead records than live ones (plus a constant): the chain is rebuilt. */
    private static final int RECHAIN_SLACK = 16;

    private final StateSerializer<UK> userKeySerializer;
    private final StateSerializer<UV> valueSerializer;
    private final ExpandableArrayBuffer userKeyBuffer = new ExpandableArrayBuffer(32);
    private final FixedTable.AddressView chainView = new FixedTable.AddressView();
    private int userKeyLength;

    OffHeapMapState(
            OffHeapKeyedStateBackend<?> backend,
            StateTables tables,
            StateSerializer<N> namespaceSerializer,
            StateSerializer<UK> userKeySerializer,
            StateSerializer<UV> valueSerializer) {
        super(backend, tables, namespaceSerializer);
        this.userKeySerializer = userKeySerializer;
        this.valueSerializer = valueSerializer;
    }

    private long pk() {
        return LogStore.pkHash(recordHash(), tables.logStateId);
    }

    /** Serializes the user key into {@link #userKeyBuffer}; returns its EK hash. */
    private long entryKey(long pk, UK userKey) {
        userKeyLength = userKeySerializer.write(userKey, userKeyBuffer, 0);
        backend.checkUserKeySize(name, userKeyLength);
        return LogStore.ekHash(pk, userKeyBuffer, 0, userKeyLength);
    }

    @Override
    public UV get(UK userKey) {
        check();
        final LogStore logs = backend.logs();
        final long a = logs.find(this, entryKey(pk(), userKey), userKeyBuffer, userKeyLength);
        if (a == 0) {
            return null;
        }
        final int length = logs.copyValue(a, backend.readScratch, 0);
        return valueSerializer.read(backend.readScratch, 0, length);
    }

    @Override
    public boolean contains(UK userKey) {
        check();
        return backend.logs().find(this, entryKey(pk(), userKey), userKeyBuffer, userKeyLength) != 0;
    }

    @Override
    public void put(UK userKey, UV value) {
        check();
        final int valueLength = valueSerializer.write(value, backend.writeScratch, 0);
        backend.checkSizes(name, backend.keyLength + namespaceLength, valueLength);
        final LogStore logs = backend.logs();
        logs.reserve(2);
        final long pk = pk();
        final long ek = entryKey(pk, userKey);
        final long a = logs.find(this, ek, userKeyBuffer, userKeyLength);
        final long entrySlot = logs.slot;
        if (a != 0 && logs.mutable(a) && valueLength <= LogRecord.valueCapacity(logs.raw(a))) {
            logs.overwrite(a, backend.writeScratch, 0, valueLength);
            return;
        }
        final long head = logs.find(this, pk, null, 0);
        final long headSlot = logs.slot;
        // slack only when the value grew: a same-size rewrite below the marker gets an exact record
        final int capacity = a != 0 && valueLength > LogRecord.valueLength(logs.raw(a))
                ? valueLength + valueLength / 4
                : valueLength;
        if (a != 0) {
            logs.dead(a);
        }
        final long at = logs.append(
                LogRecord.MAP_ENTRY | LogRecord.LINK | tables.recordFlags,
                this,
                userKeyBuffer,
                userKeyLength,
                backend.writeScratch,
                0,
                valueLength,
                capacity,
                head);
        logs.setEntry(headSlot, pk, false, at);
        logs.setEntry(entrySlot, ek, true, at);
    }

    @Override
    public void putAll(Map<UK, UV> entries) {
        for (Map.Entry<UK, UV> entry : entries.entrySet()) {
            put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void remove(UK userKey) {
        check();
        final LogStore logs = backend.logs();
        logs.reserve(0);
        final long a = logs.find(this, entryKey(pk(), userKey), userKeyBuffer, userKeyLength);
        if (a == 0) {
            return;
        }
        final long slot = logs.slot;
        logs.dead(a);
        if (logs.mutable(a)) {
            logs.tombstone(a); // keeps its link: the chain stays walkable
        } else {
            logs.append(
                    LogRecord.MAP_ENTRY | LogRecord.TOMBSTONE, this, userKeyBuffer, userKeyLength, null, 0, 0, 0, 0);
        }
        logs.index.delete(slot);
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() {
        check();
        final LogStore logs = backend.logs();
        final long[] live = liveEntries(logs, this, pk());
        final List<Map.Entry<UK, UV>> entries = new ArrayList<>((int) live[0]);
        for (int i = 1; i <= live[0]; i++) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(readUserKey(logs, live[i]), readValue(logs, live[i])));
        }
        return entries;
    }

    @Override
    public Iterable<UK> keys() {
        check();
        final LogStore logs = backend.logs();
        final long[] live = liveEntries(logs, this, pk());
        final List<UK> keys = new ArrayList<>((int) live[0]);
        for (int i = 1; i <= live[0]; i++) {
            keys.add(readUserKey(logs, live[i]));
        }
        return keys;
    }

    @Override
    public Iterable<UV> values() {
        check();
        final LogStore logs = backend.logs();
        final long[] live = liveEntries(logs, this, pk());
        final List<UV> values = new ArrayList<>((int) live[0]);
        for (int i = 1; i <= live[0]; i++) {
            values.add(readValue(logs, live[i]));
        }
        return values;
    }

    @Override
    public boolean isEmpty() {
        check();
        return liveEntries(backend.logs(), this, pk())[0] == 0;
    }

    private UK readUserKey(LogStore logs, long a) {
        final long raw = logs.raw(a);
        final int length = LogRecord.userKeyLength(raw);
        final int offset = LogRecord.keyOffset(raw) + LogRecord.keyLength(raw) + LogRecord.namespaceLength(raw);
        userKeyBuffer.checkLimit(length);
        chainView.wrapAt(raw + offset, length).getBytes(0, userKeyBuffer, 0, length);
        return userKeySerializer.read(userKeyBuffer, 0, length);
    }

    private UV readValue(LogStore logs, long a) {
        final int length = logs.copyValue(a, backend.readScratch, 0);
        return valueSerializer.read(backend.readScratch, 0, length);
    }

    /**
     * Addresses of the live entries of the current map, newest first: {@code [count, a1, a2, ...]}. A record is live
     * when it is an entry, not a tombstone, and its EK entry points at it. When the walk met many dead records, the
     * chain is rebuilt from the live ones (a MAP_CLEAR and one copy each) so later walks are short.
     */
    static long[] liveEntries(LogStore logs, OffHeapState<?> state, long pk) {
        long[] live = new long[9];
        int count = 0;
        int visited = 0;
        final long begin = logs.log.begin();
        long a = logs.find(state, pk, null, 0);
        while (a >= begin && a != 0) {
            visited++;
            final long raw = logs.raw(a);
            final int flags = LogRecord.flags(raw);
            if ((flags & LogRecord.MAP_CLEAR) != 0) {
                break;
            }
            final long link = LogRecord.link(raw);
            if ((flags & (LogRecord.MAP_ENTRY | LogRecord.TOMBSTONE)) == LogRecord.MAP_ENTRY
                    && logs.slotOf(logs.hashOf(a, true), true, a) >= 0) {
                if (++count == live.length) {
                    live = Arrays.copyOf(live, count * 2);
                }
                live[count] = a;
            }
            a = link;
        }
        live[0] = count;
        if (visited > 2 * count + RECHAIN_SLACK) {
            rechain(logs, state, pk, live);
        }
        return live;
    }

    /**
     * Appends a MAP_CLEAR and a copy of every live entry (oldest first), so that the chain holds the live entries
     * only; {@code live} is updated to the copies. Index entries are only rewritten, never inserted.
     */
    private static void rechain(LogStore logs, OffHeapState<?> state, long pk, long[] live) {
        final long headSlot = logs.find(state, pk, null, 0) == 0 ? -1 : logs.slot;
        long link = logs.append(LogRecord.MAP_CLEAR | LogRecord.LINK, state, null, 0, null, 0, 0, 0, 0);
        for (int i = (int) live[0]; i >= 1; i--) {
            final long hash = logs.hashOf(live[i], true);
            final long slot = logs.slotOf(hash, true, live[i]);
            final long copy = logs.copyRecord(live[i], link);
            logs.setEntry(slot, hash, true, copy);
            live[i] = copy;
            link = copy;
        }
        if (headSlot >= 0) {
            logs.setEntry(headSlot, pk, false, link);
        }
    }

    /**
     * Clears the current map: deletes the EK entry of every live entry and the map's PK entry, and appends a MAP_CLEAR
     * record, which is what restore and snapshots see (it ends the chain of every older record of the map).
     */
    static void clearMap(StateTables tables, OffHeapState<?> state) {
        final LogStore logs = state.backend.logs();
        logs.reserve(0);
        final long pk = LogStore.pkHash(state.recordHash(), tables.logStateId);
        final long head = logs.find(state, pk, null, 0);
        if (head == 0) {
            return;
        }
        final long headSlot = logs.slot;
        final long begin = logs.log.begin();
        for (long a = head; a != 0 && a >= begin; ) {
            final long raw = logs.raw(a);
            final int flags = LogRecord.flags(raw);
            if ((flags & LogRecord.MAP_CLEAR) != 0) {
                break;
            }
            final long link = LogRecord.link(raw);
            if ((flags & (LogRecord.MAP_ENTRY | LogRecord.TOMBSTONE)) == LogRecord.MAP_ENTRY) {
                final long slot = logs.slotOf(logs.hashOf(a, true), true, a);
                if (slot >= 0) {
                    logs.dead(a);
                    logs.index.delete(slot);
                }
            }
            a = link;
        }
        logs.append(LogRecord.MAP_CLEAR | LogRecord.LINK, state, null, 0, null, 0, 0, 0, 0);
        logs.index.delete(headSlot);
    }
}

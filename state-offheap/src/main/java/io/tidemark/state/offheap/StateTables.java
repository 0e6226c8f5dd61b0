package io.tidemark.state.offheap;

import io.tidemark.StateSizeException;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Where one state lives. A state whose key, namespace and value serializers all have a fixed length uses fused
 * {@link FixedTable}s, one per key group, created on the first write to it (value inline, the allocation-free hot
 * path; a page never holds two key groups nor two states). Every other state lives in the backend's record log
 * ({@link LogStore}) under its {@link #logStateId}: one record per value, per map entry, per list chunk.
 *
 * <p>Operations act on the backend's current key and key group and on the namespace given by the caller. Owner thread
 * only.
 */
final class StateTables {
    static final byte LAYOUT_FIXED = 1;
    static final byte SHAPE_VALUE = 1;
    static final byte SHAPE_LIST = 2;
    static final byte SHAPE_MAP = 3;

    final int stateIndex;
    final String name;
    final boolean fixed;
    /** Fixed key length, or -1 for the log. */
    final int keyLength;
    /** Fixed namespace length, or -1 for the log. */
    final int namespaceLength;
    /** Fixed value length, or -1 for the log. */
    final int valueLength;
    /** Slot geometry of the fused tables, or null for the log. */
    final FixedTable.Geometry geometry;
    /** The state's number in the log's records, or -1 for fused tables. */
    final int logStateId;
    /** {@link #SHAPE_VALUE}, {@link #SHAPE_LIST} or {@link #SHAPE_MAP}. */
    final byte shape;
    /** Flags every value record of this state carries ({@link LogRecord#TTL} for TTL-wrapped values). */
    final int recordFlags;

    /** Fixed length of a map's user key, or -1 (variable or not a map): savepoint framing, §9.2 of hybrid-log.md. */
    int userKeyFixed = -1;
    /** Fixed length of the value (a list's element), or -1 for variable. */
    int valueFixed = -1;

    private final boolean longKeys;
    private final OffHeapKeyedStateBackend<?> backend;
    private final FixedTable[] fixedTables;

    /** A state in the log. */
    StateTables(
            OffHeapKeyedStateBackend<?> backend, int stateIndex, String name, int logStateId, byte shape, boolean ttl) {
        this.backend = backend;
        this.stateIndex = stateIndex;
        this.name = name;
        this.fixed = false;
        this.keyLength = -1;
        this.namespaceLength = -1;
        this.valueLength = -1;
        this.geometry = null;
        this.longKeys = false;
        this.fixedTables = null;
        this.logStateId = logStateId;
        this.shape = shape;
        this.recordFlags = ttl ? LogRecord.TTL : 0;
    }

    /** Fused tables: all three lengths fixed ({@code > 0} for key and value, {@code >= 0} for namespace). */
    StateTables(
            OffHeapKeyedStateBackend<?> backend,
            int stateIndex,
            String name,
            int keyLength,
            int namespaceLength,
            int valueLength,
            boolean longKeys) {
        this.backend = backend;
        this.stateIndex = stateIndex;
        this.name = name;
        this.fixed = true;
        this.keyLength = keyLength;
        this.namespaceLength = namespaceLength;
        this.valueLength = valueLength;
        this.longKeys = longKeys;
        this.geometry = FixedTable.Geometry.of(backend.access().pageSize, keyLength, namespaceLength, valueLength);
        this.fixedTables = new FixedTable[backend.keyGroupRange().size()];
        this.logStateId = -1;
        this.shape = SHAPE_VALUE;
        this.recordFlags = 0;
    }

    /** The pages of the fused table of key group {@code groupIndex} (relative to the range start), or null. */
    TablePages pagesOf(int groupIndex) {
        if (!fixed) {
            return null;
        }
        final FixedTable table = fixedTables[groupIndex];
        return table == null ? null : table.pages();
    }

    /** Installs a restored fused table for key group {@code groupIndex}. */
    void restoreTable(int groupIndex, FixedTable table) {
        fixedTables[groupIndex] = table;
    }

    /** Entries of the fused tables; log states are counted by the log ({@link LogStore}). */
    long entryCount() {
        long count = 0;
        for (int i = 0; fixed && i < fixedTables.length; i++) {
            if (fixedTables[i] != null) {
                count += fixedTables[i].count();
            }
        }
        return count;
    }

    // ---- fused layout ----

    /** The fused table of the current key group, or null if nothing was written to it yet. */
    FixedTable fixedTableOrNull() {
        return fixedTables[backend.groupIndex()];
    }

    /** Loads the home slot of a long key's entry in key group {@code group}'s fused table, if it exists (a hint). */
    long touch(int group, long hash) {
        final FixedTable table = fixedTables == null ? null : fixedTables[group];
        return table == null ? 0 : table.touch(hash);
    }

    /** The fused table of the current key group, created on first use. */
    FixedTable fixedTable() {
        final int group = backend.groupIndex();
        FixedTable table = fixedTables[group];
        if (table == null) {
            table = new FixedTable(backend.access(), new TablePages(), geometry, longKeys);
            fixedTables[group] = table;
        }
        return table;
    }

    /** Address of the current entry's value for reading, or 0 when absent. */
    long readAddress(OffHeapState<?> state) {
        final FixedTable table = fixedTables[backend.groupIndex()];
        return table == null
                ? 0
                : table.findForRead(state.fixedHash(), backend.keyBits, backend.keyBuffer, state.namespaceBuffer);
    }

    /** Address of the current entry's value for writing; {@link FixedTable#inserted()} tells whether it is new. */
    long writeAddress(OffHeapState<?> state, FixedTable table) {
        try {
            return table.findForWrite(state.fixedHash(), backend.keyBits, backend.keyBuffer, state.namespaceBuffer);
        } catch (StateSizeException ex) {
            throw full(ex);
        }
    }

    // ---- log layout ----

    /** The current entry's latest record in the log, or 0; {@link LogStore#slot} is its index slot. */
    private long findRecord(OffHeapState<?> state) {
        return backend.logs().find(state, LogStore.pkHash(state.recordHash(), logStateId), null, 0);
    }

    boolean containsRecord(OffHeapState<?> state) {
        return findRecord(state) != 0;
    }

    /** The current record's value as 8-byte bits (long and double state on variable keys), or {@code absent}. */
    long readBits(OffHeapState<?> state, long absent) {
        final int length = readValue(state, backend.readScratch);
        return length < 0 ? absent : backend.readScratch.getLong(0, ByteOrder.LITTLE_ENDIAN);
    }

    void writeBits(OffHeapState<?> state, long bits) {
        backend.writeScratch.putLong(0, bits, ByteOrder.LITTLE_ENDIAN);
        putValue(state, backend.writeScratch, Long.BYTES);
    }

    /** Copies the current value into {@code target} at 0; returns its length or -1 when absent. */
    int readValue(OffHeapState<?> state, MutableDirectBuffer target) {
        final long a = findRecord(state);
        return a == 0 ? -1 : backend.logs().copyValue(a, target, 0);
    }

    /**
     * Writes the current entry's value: in place when its record is in the mutable region and the value fits, else a
     * new record at the tail (with 25% slack when it replaces one) and the index pointed at it. A full store fails
     * before the index changes.
     */
    void putValue(OffHeapState<?> state, DirectBuffer value, int valueLength) {
        backend.checkSizes(name, backend.keyLength + state.namespaceLength, valueLength);
        final LogStore logs = backend.logs();
        logs.reserve(1);
        final long hash = LogStore.pkHash(state.recordHash(), logStateId);
        final long a = logs.find(state, hash, null, 0);
        final long slot = logs.slot;
        if (a != 0 && logs.mutable(a) && valueLength <= LogRecord.valueCapacity(logs.raw(a))) {
            logs.overwrite(a, value, 0, valueLength);
            return;
        }
        // slack only when the value grew: a same-size rewrite below the marker gets an exact record
        final int capacity = a != 0 && valueLength > LogRecord.valueLength(logs.raw(a))
                ? valueLength + valueLength / 4
                : valueLength;
        if (a != 0) {
            logs.dead(a);
        }
        try {
            final long at = logs.append(recordFlags, state, null, 0, value, 0, valueLength, capacity, 0);
            logs.setEntry(slot, hash, false, at);
        } catch (StateSizeException ex) {
            throw full(ex);
        }
    }

    /** Removes the current value: tombstone in place in the mutable region, else an appended tombstone. */
    private void removeValue(OffHeapState<?> state, int tombstoneFlags) {
        final LogStore logs = backend.logs();
        logs.reserve(0);
        final long a = findRecord(state);
        if (a == 0) {
            return;
        }
        final long slot = logs.slot;
        if (shape == SHAPE_LIST) {
            logs.deadChain(a);
        } else {
            logs.dead(a);
        }
        if (logs.mutable(a)) {
            logs.tombstone(a);
        } else {
            try {
                logs.append(tombstoneFlags, state, null, 0, null, 0, 0, 0, 0);
            } catch (StateSizeException ex) {
                throw full(ex);
            }
        }
        logs.index.delete(slot);
    }

    /** A capacity error of the page store or a table, naming the state; raised before the table changed. */
    private StateSizeException full(StateSizeException cause) {
        if (cause.getMessage() != null && cause.getMessage().contains("state=")) {
            return cause; // a size check that already names the state
        }
        return new StateSizeException(
                "state storage refused the write, nothing changed: state=" + name + ", " + cause.getMessage(), cause);
    }

    /** Removes the current entry, in either layout. */
    void remove(OffHeapState<?> state) {
        if (fixed) {
            final FixedTable table = fixedTables[backend.groupIndex()];
            if (table != null) {
                table.remove(state.fixedHash(), backend.keyBits, backend.keyBuffer, state.namespaceBuffer);
            }
            return;
        }
        switch (shape) {
            case SHAPE_MAP -> OffHeapMapState.clearMap(this, state);
            case SHAPE_LIST -> removeValue(state, LogRecord.LIST_CHUNK | LogRecord.TOMBSTONE);
            default -> removeValue(state, LogRecord.TOMBSTONE);
        }
    }
}

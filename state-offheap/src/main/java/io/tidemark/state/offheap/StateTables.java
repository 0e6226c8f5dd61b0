package io.tidemark.state.offheap;

import io.tidemark.StateSizeException;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The tables of one state, one per key group of the backend's range, created on the first write to a key group. A
 * state whose key, namespace and value serializers all have a fixed length uses fused {@link FixedTable}s (value
 * inline, the allocation-free hot path); every other state uses {@link RecordTable}s whose values are the canonical
 * serialized values. A page never holds two key groups nor two states: each table owns its pages.
 *
 * <p>Operations act on the backend's current key and key group and on the namespace given by the caller. Owner thread
 * only.
 */
final class StateTables {
    static final byte LAYOUT_FIXED = 1;
    static final byte LAYOUT_RECORD = 2;

    final int stateIndex;
    final String name;
    final boolean fixed;
    /** Fixed key length, or -1 for the record layout. */
    final int keyLength;
    /** Fixed namespace length, or -1 for the record layout. */
    final int namespaceLength;
    /** Fixed value length, or -1 for the record layout. */
    final int valueLength;
    /** Slot geometry of the fused tables, or null for the record layout. */
    final FixedTable.Geometry geometry;

    private final boolean longKeys;
    private final OffHeapKeyedStateBackend<?> backend;
    private final FixedTable[] fixedTables;
    private final RecordTable[] recordTables;

    /** Tables in the record layout. */
    StateTables(OffHeapKeyedStateBackend<?> backend, int stateIndex, String name) {
        this(backend, stateIndex, name, -1, -1, -1, false);
    }

    /** Fused tables when all three lengths are fixed ({@code > 0} for key and value, {@code >= 0} for namespace). */
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
        this.fixed = keyLength > 0 && namespaceLength >= 0 && valueLength > 0;
        this.keyLength = fixed ? keyLength : -1;
        this.namespaceLength = fixed ? namespaceLength : -1;
        this.valueLength = fixed ? valueLength : -1;
        this.longKeys = fixed && longKeys;
        this.geometry = fixed
                ? FixedTable.Geometry.of(backend.access().pageSize, keyLength, namespaceLength, valueLength)
                : null;
        final int groups = backend.keyGroupRange().size();
        this.fixedTables = fixed ? new FixedTable[groups] : null;
        this.recordTables = fixed ? null : new RecordTable[groups];
    }

    /** The pages of the table of key group {@code groupIndex} (relative to the range start), or null. */
    TablePages pagesOf(int groupIndex) {
        if (fixed) {
            final FixedTable table = fixedTables[groupIndex];
            return table == null ? null : table.pages();
        }
        final RecordTable table = recordTables[groupIndex];
        return table == null ? null : table.pages();
    }

    long entryCount() {
        long count = 0;
        for (int i = 0; i < backend.keyGroupRange().size(); i++) {
            if (fixed && fixedTables[i] != null) {
                count += fixedTables[i].count();
            } else if (!fixed && recordTables[i] != null) {
                count += recordTables[i].count();
            }
        }
        return count;
    }

    // ---- fused layout ----

    /** The fused table of the current key group, or null if nothing was written to it yet. */
    FixedTable fixedTableOrNull() {
        return fixedTables[backend.groupIndex()];
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

    // ---- record layout ----

    private long findRecord(RecordTable table, OffHeapState<?> state) {
        return table.find(
                state.recordHash(),
                backend.keyBytes(),
                backend.keyLength,
                state.namespaceBuffer,
                state.namespaceLength);
    }

    boolean containsRecord(OffHeapState<?> state) {
        final RecordTable table = recordTables[backend.groupIndex()];
        return table != null && findRecord(table, state) >= 0;
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
        final RecordTable table = recordTables[backend.groupIndex()];
        if (table == null) {
            return -1;
        }
        final long ref = findRecord(table, state);
        return ref < 0 ? -1 : table.readValue(ref, target);
    }

    void putValue(OffHeapState<?> state, DirectBuffer value, int valueLength) {
        final int group = backend.groupIndex();
        RecordTable table = recordTables[group];
        if (table == null) {
            backend.checkSizes(name, backend.keyLength + state.namespaceLength, valueLength);
            table = new RecordTable(
                    backend.access(), new TablePages(), name, backend.maxKeyBytes(), backend.maxValueBytes());
            recordTables[group] = table;
        }
        try {
            table.put(
                    state.recordHash(),
                    backend.keyBytes(),
                    backend.keyLength,
                    state.namespaceBuffer,
                    state.namespaceLength,
                    value,
                    valueLength);
        } catch (StateSizeException ex) {
            throw full(ex);
        }
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
        final int group = backend.groupIndex();
        if (fixed) {
            final FixedTable table = fixedTables[group];
            if (table != null) {
                table.remove(state.fixedHash(), backend.keyBits, backend.keyBuffer, state.namespaceBuffer);
            }
            return;
        }
        final RecordTable table = recordTables[group];
        if (table != null) {
            table.remove(
                    state.recordHash(),
                    backend.keyBytes(),
                    backend.keyLength,
                    state.namespaceBuffer,
                    state.namespaceLength);
        }
    }
}

package io.tidemark.state.offheap;

import io.tidemark.StateSizeException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The tables of one state, one per key group of the backend's range, created on the first write to a key group.
 * Long and double state on fixed-length keys and namespaces use {@link FixedTable}s (inline 8-byte values, the
 * allocation-free hot path); every other state uses {@link RecordTable}s whose values are the canonical serialized
 * values. A page never holds two key groups nor two states: each table owns its pages.
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
    final int keyLength;
    final int namespaceLength;
    private final OffHeapKeyedStateBackend<?> backend;
    private final FixedTable[] fixedTables;
    private final RecordTable[] recordTables;

    StateTables(OffHeapKeyedStateBackend<?> backend, int stateIndex, String name, int keyLength, int namespaceLength) {
        this.backend = backend;
        this.stateIndex = stateIndex;
        this.name = name;
        this.fixed = keyLength > 0 && namespaceLength >= 0;
        this.keyLength = keyLength;
        this.namespaceLength = namespaceLength;
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

    // ---- fixed layout: 8-byte values as long bits ----

    boolean containsBits(OffHeapState<?> state) {
        final int group = backend.groupIndex();
        if (fixed) {
            final FixedTable table = fixedTables[group];
            return table != null && table.contains(state.hash(), backend.keyBuffer, state.namespaceBuffer);
        }
        final RecordTable table = recordTables[group];
        return table != null && findRecord(table, state) >= 0;
    }

    long getBits(OffHeapState<?> state, long absent) {
        final int group = backend.groupIndex();
        if (fixed) {
            final FixedTable table = fixedTables[group];
            return table == null ? absent : table.get(state.hash(), backend.keyBuffer, state.namespaceBuffer, absent);
        }
        final int length = readValue(state, backend.readScratch);
        return length < 0 ? absent : backend.readScratch.getLong(0, java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    void putBits(OffHeapState<?> state, long bits) {
        if (fixed) {
            try {
                fixedTable().put(state.hash(), backend.keyBuffer, state.namespaceBuffer, bits);
            } catch (StateSizeException ex) {
                throw full(ex);
            }
            return;
        }
        backend.writeScratch.putLong(0, bits, java.nio.ByteOrder.LITTLE_ENDIAN);
        putValue(state, backend.writeScratch, FixedTable.VALUE_LENGTH);
    }

    /** Adds to the stored long ({@code asDouble}: double) and returns the new bits. */
    long addBits(OffHeapState<?> state, long operand, boolean asDouble, long absent) {
        if (fixed) {
            try {
                return fixedTable()
                        .add(state.hash(), backend.keyBuffer, state.namespaceBuffer, operand, asDouble, absent);
            } catch (StateSizeException ex) {
                throw full(ex);
            }
        }
        final long current = getBits(state, absent);
        final long next = asDouble
                ? Double.doubleToRawLongBits(Double.longBitsToDouble(current) + Double.longBitsToDouble(operand))
                : current + operand;
        putBits(state, next);
        return next;
    }

    private FixedTable fixedTable() {
        final int group = backend.groupIndex();
        FixedTable table = fixedTables[group];
        if (table == null) {
            table = new FixedTable(backend.access(), new TablePages(), keyLength, namespaceLength);
            fixedTables[group] = table;
        }
        return table;
    }

    // ---- record layout ----

    private long findRecord(RecordTable table, OffHeapState<?> state) {
        return table.find(
                state.hash(), backend.keyBuffer, backend.keyLength, state.namespaceBuffer, state.namespaceLength);
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
                    state.hash(),
                    backend.keyBuffer,
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
                table.remove(state.hash(), backend.keyBuffer, state.namespaceBuffer);
            }
            return;
        }
        final RecordTable table = recordTables[group];
        if (table != null) {
            table.remove(
                    state.hash(), backend.keyBuffer, backend.keyLength, state.namespaceBuffer, state.namespaceLength);
        }
    }
}

package io.tidemark.state.offheap;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.keygroup.KeyGroupRange;
import java.util.Arrays;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.UnsafeApi;

/**
 * Restores the log of one {@value NativeSnapshotFormat#FORMAT_NAME} handle into a backend's {@link LogStore}, off the
 * JVM heap: the handle's log bytes are read into native memory (chunk CRCs verified), then every record whose key
 * group this backend owns is re-appended in address order with its state id translated and its chain link pointed at
 * the key's current head, and the index is updated as the record says (see {@code docs/spec/hybrid-log.md} §8). The
 * same code serves every parallelism: a restore at another parallelism keeps another subset of records. Dead versions
 * are copied too (no look-ahead); they are dropped by later rewrites.
 *
 * <p>Owner thread, during restore. Allocates native memory the size of the handle's log, freed before it returns.
 */
final class LogRestore {
    private final LogStore logs;
    private final KeyGroupRange range;
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(256);
    private static final int BATCH = 64;
    private final long[] batchAddresses = new long[BATCH];
    private final int[] batchFlags = new int[BATCH];
    private final long[] batchHashes = new long[BATCH];
    private int batched;
    /** Sink of the batch's touching loads, so the JIT keeps them. */
    long touched;

    LogRestore(LogStore logs, KeyGroupRange range) {
        this.logs = logs;
        this.range = range;
    }

    /**
     * @param stateIds the backend's log state id for each log state id of the payload, -1 for unknown ids
     * @throws CorruptCheckpointException naming the first stream and the log address of a record that does not verify
     */
    void restore(KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload, int[] stateIds) {
        logs.restoring = true;
        try {
            reappend(handle, reader, payload, stateIds);
        } finally {
            logs.restoring = false;
        }
    }

    private void reappend(
            KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload, int[] stateIds) {
        final long size = LogStreams.size(payload);
        if (size == 0) {
            return;
        }
        final String file = handle.streams().isEmpty()
                ? "<payload>"
                : handle.streams().get(0).name();
        final long base = UnsafeApi.allocateMemory(size);
        try {
            LogStreams.copy(handle, reader, payload, base);
            final long pageSize = payload.pageSize();
            final long end = payload.logBegin() + size;
            long at = 0;
            while (at < size) {
                final long address = payload.logBegin() + at;
                final long raw = base + at;
                final int length = LogRecord.length(raw);
                final int flags = LogRecord.flags(raw);
                at = next(file, address, raw, end, pageSize) - payload.logBegin();
                if ((flags & LogRecord.FILLER) != 0) {
                    continue;
                }
                verify(file, address, raw, length, flags, handle, stateIds);
                final int keyGroup = LogRecord.keyGroup(raw);
                if (range.contains(keyGroup)) {
                    replay(raw, length, flags, stateIds[LogRecord.stateId(raw)]);
                }
            }
        } finally {
            UnsafeApi.freeMemory(base);
        }
    }

    private static void verify(
            String file, long address, long raw, int length, int flags, KeyedStateHandle handle, int[] stateIds) {
        final int header = LogRecord.headerLength(flags);
        final long parts = (long) header
                + LogRecord.keyLength(raw)
                + LogRecord.namespaceLength(raw)
                + LogRecord.userKeyLength(raw)
                + Math.max(0, LogRecord.valueLength(raw));
        final int stateId = LogRecord.stateId(raw);
        final long link = LogRecord.link(raw);
        if (parts > length || LogRecord.valueLength(raw) < 0) {
            throw corrupt(file, address, "record parts within its length", "parts=" + parts + ", length=" + length);
        }
        if (stateId >= stateIds.length || stateIds[stateId] < 0) {
            throw corrupt(file, address, "a log state id of the payload", "stateId=" + stateId);
        }
        if (!handle.keyGroupRange().contains(LogRecord.keyGroup(raw))) {
            throw corrupt(file, address, "key group in " + handle.keyGroupRange(), LogRecord.keyGroup(raw));
        }
        if (link >= address || link < 0) {
            throw corrupt(file, address, "a link below the record", "link=" + link);
        }
        final int kind = flags & (LogRecord.MAP_ENTRY | LogRecord.LIST_CHUNK | LogRecord.MAP_CLEAR);
        if (Integer.bitCount(kind) > 1) {
            throw corrupt(file, address, "one record kind", "flags=" + flags);
        }
    }

    /**
     * Checks the framing of the record at {@code address} ({@code raw} in memory) inside a log ending at {@code end}:
     * length a multiple of 8 inside the log, reserved byte 0, a record that is not spanning inside its page. Returns
     * the address after it (a spanning record ends at a page boundary).
     */
    private static long next(String file, long address, long raw, long end, long pageSize) {
        final int length = LogRecord.length(raw);
        final int flags = LogRecord.flags(raw);
        if (length < 8
                || (length & 7) != 0
                || address + length > end
                || UnsafeApi.getByte(raw + LogRecord.RESERVED_OFFSET) != 0) {
            throw corrupt(
                    file, address, "record length a multiple of 8 inside the log, reserved byte 0", "length=" + length);
        }
        final boolean spanning = (flags & LogRecord.SPANNING) != 0;
        if (!spanning && (flags & LogRecord.FILLER) == 0 && (address & (pageSize - 1)) + length > pageSize) {
            throw corrupt(file, address, "record inside its page", "length=" + length);
        }
        return spanning ? (address + length + pageSize - 1) & -pageSize : address + length;
    }

    private static CorruptCheckpointException corrupt(String file, long address, String expected, Object actual) {
        return new CorruptCheckpointException("offheap log record invalid", file, address, expected, actual);
    }

    /** Re-appends one record and applies it to the index. */
    private void replay(long raw, int length, int flags, int stateId) {
        record.checkLimit(length);
        UnsafeApi.copyMemory(null, raw, record.byteArray(), record.addressOffset(), length);
        record.putShort(LogRecord.STATE_OFFSET, (short) stateId, java.nio.ByteOrder.LITTLE_ENDIAN);
        int newFlags = length > logs.log.pageSize ? flags | LogRecord.SPANNING : flags & ~LogRecord.SPANNING;
        record.putByte(LogRecord.FLAGS_OFFSET, (byte) newFlags);
        final boolean linked = (flags & LogRecord.LINK) != 0;
        final long oldLink = linked ? LogRecord.link(raw) : 0;
        if (linked) {
            record.putLong(LogRecord.LINK_OFFSET, 0, java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        logs.reserve(2);
        final long n = logs.log.append(record, length);
        if (linked && oldLink != 0 && (flags & LogRecord.MAP_CLEAR) == 0) {
            final long head = logs.findLike(n, logs.hashOf(n, false), false);
            if (head != 0) {
                UnsafeApi.putLong(logs.writable(n) + LogRecord.LINK_OFFSET, head);
            }
        }
        apply(n, flags);
    }

    /** Applies the record at {@code n} (already in the log) to the index, as hybrid-log.md §8.1's table says. */
    private void apply(long n, int flags) {
        apply(n, flags, logs.hashOf(n, false));
    }

    private void apply(long n, int flags, long pk) {
        final boolean linked = (flags & LogRecord.LINK) != 0;
        if ((flags & (LogRecord.TTL | LogRecord.LIST_CHUNK)) == LogRecord.TTL && logs.compactor != null) {
            final long raw = logs.raw(n);
            if (LogRecord.valueLength(raw) >= Long.BYTES) {
                logs.compactor.ttlWritten(n, UnsafeApi.getLong(raw + LogRecord.valueOffset(raw)));
            }
        }
        final long head = logs.findLike(n, pk, false);
        final long headSlot = head == 0 ? -1 : logs.slot;
        final boolean tombstone = (flags & LogRecord.TOMBSTONE) != 0;
        if ((flags & LogRecord.MAP_ENTRY) != 0) {
            final long ek = logs.hashOf(n, true);
            final long entry = logs.findLike(n, ek, true);
            if (entry != 0) {
                logs.dead(entry); // dead versions restored too: compaction's estimate counts them
            }
            if (tombstone) {
                if (entry != 0) {
                    logs.index.delete(logs.slot);
                }
                if (linked) {
                    logs.setEntry(headSlot, pk, false, n);
                }
            } else {
                logs.setEntry(entry == 0 ? -1 : logs.slot, ek, true, n);
                logs.setEntry(headSlot, pk, false, n);
            }
        } else if ((flags & LogRecord.MAP_CLEAR) != 0) {
            clearChain(head);
            if (headSlot >= 0) {
                logs.index.delete(headSlot);
            }
        } else if (tombstone) {
            logs.dead(n);
            if (headSlot >= 0) {
                logs.dead(head);
                logs.index.delete(headSlot);
            }
        } else {
            if (head != 0 && (flags & LogRecord.LIST_CHUNK) == 0) {
                logs.dead(head);
            }
            logs.setEntry(headSlot, pk, false, n);
        }
    }

    /**
     * Restores the handle's log at the same addresses (one handle, this backend's key-group range, the same page size,
     * an empty log, state ids kept): the verified chunks go straight into log pages, then one pass over the records
     * in address order verifies each and rebuilds the index. No record is copied twice and no link is rewritten.
     */
    void restoreInPlace(
            KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload, int[] stateIds) {
        logs.restoring = true;
        try {
            inPlace(handle, reader, payload, stateIds);
        } finally {
            logs.restoring = false;
        }
    }

    private void inPlace(
            KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload, int[] stateIds) {
        final long begin = payload.logBegin();
        final long marker = payload.logMarker();
        if (marker <= begin) {
            return;
        }
        final HybridLog log = logs.log;
        log.restoreLayout(begin, marker);
        LogStreams.read(
                handle,
                reader,
                payload,
                (address, chunk, offset, length) -> UnsafeApi.copyMemory(
                        chunk,
                        org.agrona.BufferUtil.ARRAY_BASE_OFFSET + offset,
                        null,
                        log.restoreAddress(address),
                        length));
        log.finishRestore();
        final String file = handle.streams().isEmpty()
                ? "<payload>"
                : handle.streams().get(0).name();
        final long pageSize = log.pageSize;
        logs.presizeIndex(countEntries(begin, marker));
        long address = begin;
        while (address < marker) {
            final long raw = log.address(address);
            final int length = LogRecord.length(raw);
            final int flags = LogRecord.flags(raw);
            final long next = next(file, address, raw, marker, pageSize);
            if ((flags & LogRecord.FILLER) == 0) {
                verify(file, address, raw, length, flags, handle, stateIds);
                batchAddresses[batched] = address;
                batchFlags[batched++] = flags;
                if (batched == BATCH) {
                    applyBatch(batched);
                    batched = 0;
                }
            }
            address = next;
        }
        applyBatch(batched);
        batched = 0;
    }

    /** Index entries the records in {@code [begin, marker)} can need at most: one per record, two per map entry. */
    private long countEntries(long begin, long marker) {
        final HybridLog log = logs.log;
        long entries = 0;
        for (long a = begin; a < marker; ) {
            final long raw = log.address(a);
            final int length = LogRecord.length(raw);
            final int flags = LogRecord.flags(raw);
            if (length < 8) {
                return entries; // the verifying pass refuses it, naming the record
            }
            if ((flags & LogRecord.FILLER) == 0) {
                entries += (flags & LogRecord.MAP_ENTRY) != 0 ? 2 : 1;
            }
            a = (flags & LogRecord.SPANNING) != 0 ? (a + length + log.pageSize - 1) & -(long) log.pageSize : a + length;
        }
        return entries;
    }

    /**
     * Applies a batch of records: first their index homes are touched one after the other (independent loads, so the
     * CPU overlaps the cache misses a record-by-record loop would take one at a time), then each record is applied.
     */
    private void applyBatch(int count) {
        if (count == 0) {
            return;
        }
        logs.reserve(2 * count);
        long sum = 0;
        for (int i = 0; i < count; i++) {
            final long pk = logs.hashOf(batchAddresses[i], false);
            batchHashes[i] = pk;
            sum += logs.index.entry(logs.index.home(pk));
        }
        touched += sum;
        for (int i = 0; i < count; i++) {
            apply(batchAddresses[i], batchFlags[i], batchHashes[i]);
        }
    }

    /** Deletes the EK entries that point at records of the map chain from {@code head}. */
    private void clearChain(long head) {
        final long begin = logs.log.begin();
        for (long a = head; a != 0 && a >= begin; ) {
            final long raw = logs.raw(a);
            final int flags = LogRecord.flags(raw);
            if ((flags & LogRecord.MAP_CLEAR) != 0) {
                return;
            }
            final long link = LogRecord.link(raw);
            if ((flags & LogRecord.MAP_ENTRY) != 0) {
                final long slot = logs.slotOf(logs.hashOf(a, true), true, a);
                if (slot >= 0) {
                    logs.index.delete(slot);
                }
            }
            a = link;
        }
    }

    /** Maps payload log state ids to the backend's; -1 where the payload names none. */
    static int[] newIdTable(int maxId) {
        final int[] ids = new int[maxId + 1];
        Arrays.fill(ids, -1);
        return ids;
    }
}

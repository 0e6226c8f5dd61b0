package io.tidemark.state.offheap;

import io.tidemark.memory.PageStore;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The record store of one backend: the {@link HybridLog} and its {@link LogIndex}, with the primitives the log states
 * ({@link OffHeapValueState}, {@link OffHeapMapState}, {@link OffHeapListState}, long and double state on variable keys)
 * build on: lookups of the current key (and user key), record appends, in-place updates in the mutable region.
 *
 * <p>Hashes: the key part is {@link Hashing#bytes} of the serialized key, combined with the namespace by
 * {@link Hashing#combine} (what {@link OffHeapState#recordHash} caches per key and namespace), then
 * {@code pk = mix(that ^ stateId * C)}, and for a map entry {@code ek = mix(pk + bytes(userKey) * G)}: all computable
 * from a record's bytes alone, which is how the index is rebuilt ({@link #hashOf}).
 *
 * <p>Owner thread only. Lookups and in-place updates allocate nothing; appends allocate only pages (through the page
 * store) and index rebuilds. {@link #slot} is the index slot of the last successful lookup, valid until the next
 * {@link #reserve} or insert.
 */
final class LogStore implements AutoCloseable {
    private static final long STATE_MIX = 0xC2B2_AE3D_27D4_EB4FL;
    private static final long USER_KEY_MIX = 0x9E37_79B9_7F4A_7C15L;

    final HybridLog log;
    final LogIndex index;
    private final OffHeapKeyedStateBackend<?> backend;
    private final FixedTable.AddressView view = new FixedTable.AddressView();
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(256);
    private final LogIndex.Rehash rehash = this::hashOf;
    private static final int PROBE_HEADER = 16;
    private final ExpandableArrayBuffer probe = new ExpandableArrayBuffer(64);

    /** Index slot of the last successful lookup. */
    long slot = -1;
    /** Set by the backend once its states are known; null until then (no compaction). */
    LogCompactor compactor;
    /** Bytes above the read-only marker kept mutable under memory pressure. */
    long mutableBytes = Long.MAX_VALUE;

    private long seenTurns;
    /** True while a restore rebuilds the index: compaction must not run on a half-built index. */
    boolean restoring;

    private final PageStore store;
    private final long residentBudget;

    /**
     * @param initialIndexBytes the index's first size (a budget share: growth by doubling is then rare and reads no
     *     record while entries keep growth bits, see {@link LogIndex})
     */
    LogStore(PageStore store, OffHeapKeyedStateBackend<?> backend, long residentBudget, long initialIndexBytes) {
        this.log = new HybridLog(store);
        this.index = new LogIndex(initialIndexBytes / Long.BYTES);
        this.store = store;
        this.residentBudget = residentBudget;
        store.frameBudget(residentBudget - index.bytes());
        this.backend = backend;
    }

    // ---- hashing ----

    static long pkHash(long keyNamespaceHash, int stateId) {
        return Hashing.mix(keyNamespaceHash ^ (stateId * STATE_MIX));
    }

    static long ekHash(long pkHash, DirectBuffer userKey, int offset, int length) {
        return Hashing.mix(pkHash + Hashing.bytes(userKey, offset, length) * USER_KEY_MIX);
    }

    /** The index hash of the record at log address {@code a}, recomputed from its bytes. */
    long hashOf(long a, boolean entryKey) {
        final long raw = log.address(a);
        final int keyLength = LogRecord.keyLength(raw);
        final int nsLength = LogRecord.namespaceLength(raw);
        final long keyStart = raw + LogRecord.keyOffset(raw);
        final long keyHash = Hashing.bytes(view.wrapAt(keyStart, keyLength), 0, keyLength);
        final long nsHash = nsLength == 0 ? 0 : Hashing.bytes(view.wrapAt(keyStart + keyLength, nsLength), 0, nsLength);
        final long pk = pkHash(Hashing.combine(keyHash, nsHash, nsLength), LogRecord.stateId(raw));
        if (!entryKey) {
            return pk;
        }
        final int ukLength = LogRecord.userKeyLength(raw);
        return ekHash(pk, view.wrapAt(keyStart + keyLength + nsLength, ukLength), 0, ukLength);
    }

    // ---- lookups ----

    /**
     * The safe point at the start of a mutating operation: after a page turn, limits the mutable region and lets
     * compaction take a step (it changes index entries, so never inside an operation); then makes room in the index
     * for the operation's inserts. Call before the operation's lookups.
     */
    void reserve(int inserts) {
        if (log.pageTurns() != seenTurns && !restoring) {
            seenTurns = log.pageTurns();
            log.limitMutable(mutableBytes);
            if (compactor != null) {
                compactor.step(4L * log.pageSize);
            }
        }
        final long before = index.bytes();
        index.reserve(inserts, log.tail(), rehash);
        if (index.bytes() != before) {
            // the index is part of the resident budget: the page frames give it room
            store.frameBudget(residentBudget - index.bytes());
        }
    }

    /** Before a restore: sizes the empty index for about {@code entries} entries (its share of the budget too). */
    void presizeIndex(long entries) {
        index.presize(entries);
        store.frameBudget(residentBudget - index.bytes());
    }

    /** A safe point without an operation (every 1,024 key changes): lets a due compaction take a step. */
    void idle() {
        if (compactor != null && !restoring && compactor.due()) {
            compactor.step(4L * log.pageSize);
        }
    }

    /** The record at {@code a} is superseded or removed: counts its bytes dead for compaction. */
    void dead(long a) {
        if (compactor != null) {
            compactor.dead(LogRecord.length(log.address(a)));
        }
    }

    /**
     * The list whose newest chunk is at {@code head} is removed or replaced: counts every chunk of its chain that is still
     * in the log dead, not only the head, so that lists built of many chunks (window contents) make compaction due.
     */
    void deadChain(long head) {
        if (compactor == null) {
            return;
        }
        final long begin = log.begin();
        for (long a = head; a != 0 && a >= begin; a = LogRecord.link(log.address(a))) {
            compactor.dead(LogRecord.length(log.address(a)));
        }
    }

    /**
     * The latest record of (state, current key, namespace[, user key]) or 0; sets {@link #slot}. {@code userKey} null
     * looks up the state-key entry (PK), otherwise the map entry (EK).
     */
    long find(OffHeapState<?> s, long hash, DirectBuffer userKey, int ukLength) {
        final boolean entryKey = userKey != null;
        final long match = LogIndex.match(hash, entryKey);
        final long tail = log.tail();
        long at = index.home(hash);
        long e;
        while ((e = index.entry(at)) != LogIndex.EMPTY) {
            if ((e & LogIndex.MATCH_MASK) == match && e != LogIndex.DELETED) {
                final long a = LogIndex.address(e, tail);
                if (matches(log.address(a), s, userKey, ukLength)) {
                    slot = at;
                    return a;
                }
            }
            at = index.next(at);
        }
        slot = -1;
        return 0;
    }

    private boolean matches(long raw, OffHeapState<?> s, DirectBuffer userKey, int ukLength) {
        final int keyLength = backend.keyLength;
        final int nsLength = s.namespaceLength;
        if (LogRecord.stateId(raw) != s.tables.logStateId
                || LogRecord.keyLength(raw) != keyLength
                || LogRecord.namespaceLength(raw) != nsLength
                || (userKey != null && LogRecord.userKeyLength(raw) != ukLength)) {
            return false;
        }
        final long keyStart = raw + LogRecord.keyOffset(raw);
        return equal(keyStart, backend.keyBytes(), keyLength)
                && equal(keyStart + keyLength, s.namespaceBuffer, nsLength)
                && (userKey == null || equal(keyStart + keyLength + nsLength, userKey, ukLength));
    }

    private static boolean equal(long raw, DirectBuffer buffer, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (UnsafeApi.getLong(raw + i) != buffer.getLong(i, java.nio.ByteOrder.LITTLE_ENDIAN)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (UnsafeApi.getByte(raw + i) != buffer.getByte(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The latest record of the same key as the record at {@code a} (state, key, namespace, and the user key for
     * {@code entryKey}), other than by address identity: used by restore, which has records, not a current key. Sets
     * {@link #slot}; returns 0 when the key has no entry.
     */
    long findLike(long a, long hash, boolean entryKey) {
        final long raw = log.address(a);
        final int parts = LogRecord.keyLength(raw)
                + LogRecord.namespaceLength(raw)
                + (entryKey ? LogRecord.userKeyLength(raw) : 0);
        probe.checkLimit(PROBE_HEADER + parts);
        probe.putInt(0, LogRecord.stateId(raw));
        probe.putInt(4, LogRecord.keyLength(raw));
        probe.putInt(8, LogRecord.namespaceLength(raw));
        probe.putInt(12, entryKey ? LogRecord.userKeyLength(raw) : 0);
        UnsafeApi.copyMemory(
                null, raw + LogRecord.keyOffset(raw), probe.byteArray(), probe.addressOffset() + PROBE_HEADER, parts);
        final long match = LogIndex.match(hash, entryKey);
        final long tail = log.tail();
        long at = index.home(hash);
        long e;
        while ((e = index.entry(at)) != LogIndex.EMPTY) {
            if ((e & LogIndex.MATCH_MASK) == match && e != LogIndex.DELETED) {
                final long candidate = LogIndex.address(e, tail);
                final long c = log.address(candidate);
                if (LogRecord.stateId(c) == probe.getInt(0)
                        && LogRecord.keyLength(c) == probe.getInt(4)
                        && LogRecord.namespaceLength(c) == probe.getInt(8)
                        && (!entryKey || LogRecord.userKeyLength(c) == probe.getInt(12))
                        && equalAt(c + LogRecord.keyOffset(c), probe, PROBE_HEADER, parts)) {
                    slot = at;
                    return candidate;
                }
            }
            at = index.next(at);
        }
        slot = -1;
        return 0;
    }

    private static boolean equalAt(long raw, DirectBuffer buffer, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (UnsafeApi.getByte(raw + i) != buffer.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    /** The slot of the entry of {@code hash} and kind that points at {@code address}, or -1: no record compare. */
    long slotOf(long hash, boolean entryKey, long address) {
        final long match = LogIndex.match(hash, entryKey);
        long at = index.home(hash);
        long e;
        while ((e = index.entry(at)) != LogIndex.EMPTY) {
            if (e != LogIndex.DELETED && LogIndex.pointsAt(e, match, address)) {
                return at;
            }
            at = index.next(at);
        }
        return -1;
    }

    /** Points the key's entry at {@code address}: rewrites the slot found by the lookup, or inserts. */
    void setEntry(long foundSlot, long hash, boolean entryKey, long address) {
        if (foundSlot >= 0) {
            index.update(foundSlot, hash, LogIndex.match(hash, entryKey), address);
        } else {
            index.insert(hash, LogIndex.match(hash, entryKey), address);
        }
    }

    // ---- records ----

    /** True when the record at {@code a} may be updated in place: in the mutable region and not spanning. */
    boolean mutable(long a) {
        return a >= log.readOnly() && (LogRecord.flags(log.address(a)) & LogRecord.SPANNING) == 0;
    }

    /** Raw address of the record at {@code a} for reading. */
    long raw(long a) {
        return log.address(a);
    }

    /** Raw address of the record at {@code a} for an in-place write. */
    long writable(long a) {
        return log.writableAddress(a);
    }

    /**
     * Copies the value of the record at {@code a} into {@code target} at {@code offset}; returns its length. Spanning
     * records are gathered from their pages.
     */
    int copyValue(long a, MutableDirectBuffer target, int offset) {
        final long raw = log.address(a);
        final int length = LogRecord.valueLength(raw);
        final int valueOffset = LogRecord.valueOffset(raw);
        if ((LogRecord.flags(raw) & LogRecord.SPANNING) != 0) {
            log.copyOut(a + valueOffset, length, target, offset);
        } else if (length > 0) {
            target.checkLimit(offset + length);
            UnsafeApi.copyMemory(null, raw + valueOffset, target.byteArray(), target.addressOffset() + offset, length);
        }
        return length;
    }

    /**
     * Appends a record of state {@code s} for the current key and namespace and returns its address.
     *
     * @param flags record flags (LINK adds the link field; SPANNING is set here when needed)
     * @param userKey the user key (map entries) or null
     * @param value the value bytes at {@code valueOffset}, or null for none
     * @param capacity value bytes to reserve ({@code >= valueLength})
     */
    long append(
            int flags,
            OffHeapState<?> s,
            DirectBuffer userKey,
            int ukLength,
            DirectBuffer value,
            int valueOffset,
            int valueLength,
            int capacity,
            long link) {
        final int keyLength = backend.keyLength;
        final int nsLength = s.namespaceLength;
        final int uk = userKey == null ? 0 : ukLength;
        final int header = LogRecord.headerLength(flags);
        final int body = header + keyLength + nsLength + uk;
        int length = LogRecord.align8(body + Math.max(capacity, valueLength));
        if (length > log.pageSize) {
            flags |= LogRecord.SPANNING;
            length = LogRecord.align8(body + valueLength);
        }
        final ExpandableArrayBuffer r = record;
        r.checkLimit(length);
        final long base = r.addressOffset();
        final byte[] array = r.byteArray();
        UnsafeApi.setMemory(array, base + body, length - body, (byte) 0);
        LogRecord.writeHeader(
                r,
                length,
                flags,
                s.tables.logStateId,
                backend.currentKeyGroup(),
                keyLength,
                nsLength,
                uk,
                valueLength,
                link);
        r.putBytes(header, backend.keyBytes(), 0, keyLength);
        if (nsLength > 0) {
            r.putBytes(header + keyLength, s.namespaceBuffer, 0, nsLength);
        }
        if (uk > 0) {
            r.putBytes(header + keyLength + nsLength, userKey, 0, uk);
        }
        if (valueLength > 0) {
            r.putBytes(body, value, valueOffset, valueLength);
        }
        final long at = log.append(r, length);
        if ((flags & LogRecord.TTL) != 0) {
            noteTtl(at, (flags & LogRecord.LIST_CHUNK) != 0, s.tables.valueFixed, value, valueOffset, valueLength);
        }
        if ((flags & LogRecord.TOMBSTONE) != 0 && compactor != null) {
            compactor.dead(length);
        }
        return at;
    }

    /**
     * Tells compaction the timestamp of a TTL record written at {@code at}: the first 8 bytes of a value or map value
     * (core's TTL wrapper), of the first element of a list chunk.
     */
    void noteTtl(long at, boolean list, int elementFixed, DirectBuffer value, int valueOffset, int valueLength) {
        final int offset = list ? Integer.BYTES + (elementFixed >= 0 ? 0 : Integer.BYTES) : 0;
        if (compactor != null && valueLength >= offset + Long.BYTES) {
            compactor.ttlWritten(at, value.getLong(valueOffset + offset, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
    }

    /**
     * Appends a record with the state, key group, key and namespace of the record at {@code like} (no user key):
     * compaction's list rewrites and tombstones, which have no current key.
     */
    long appendLike(long like, int flags, DirectBuffer value, int valueLength, int capacity) {
        final long raw = log.address(like);
        final int keyLength = LogRecord.keyLength(raw);
        final int nsLength = LogRecord.namespaceLength(raw);
        final int header = LogRecord.headerLength(flags);
        final int body = header + keyLength + nsLength;
        final int length = LogRecord.align8(body + Math.max(capacity, valueLength));
        final ExpandableArrayBuffer r = record;
        r.checkLimit(length);
        UnsafeApi.setMemory(r.byteArray(), r.addressOffset() + body, length - body, (byte) 0);
        LogRecord.writeHeader(
                r,
                length,
                length > log.pageSize ? flags | LogRecord.SPANNING : flags,
                LogRecord.stateId(raw),
                LogRecord.keyGroup(raw),
                keyLength,
                nsLength,
                0,
                valueLength,
                0);
        UnsafeApi.copyMemory(
                null, raw + LogRecord.keyOffset(raw), r.byteArray(), r.addressOffset() + header, keyLength + nsLength);
        if (valueLength > 0) {
            r.putBytes(body, value, 0, valueLength);
        }
        return log.append(r, length);
    }

    /** Appends a copy of the record at {@code a} (with {@code link} if it has a link field); returns its address. */
    long copyRecord(long a, long link) {
        final long raw = log.address(a);
        final int length = LogRecord.length(raw);
        final int flags = LogRecord.flags(raw);
        final ExpandableArrayBuffer r = record;
        if ((flags & LogRecord.SPANNING) != 0) {
            log.copyOut(a, length, r, 0);
        } else {
            r.checkLimit(length);
            UnsafeApi.copyMemory(null, raw, r.byteArray(), r.addressOffset(), length);
        }
        if ((flags & LogRecord.LINK) != 0) {
            r.putLong(LogRecord.LINK_OFFSET, link, java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        return log.append(r, LogRecord.align8(length));
    }

    /** Overwrites the value of the mutable record at {@code a} (the caller checked it fits). */
    void overwrite(long a, DirectBuffer value, int valueOffset, int valueLength) {
        final long raw = log.writableAddress(a);
        final int at = LogRecord.valueOffset(raw);
        if (valueLength > 0) {
            UnsafeApi.copyMemory(value.byteArray(), value.addressOffset() + valueOffset, null, raw + at, valueLength);
        }
        LogRecord.setValueLength(raw, valueLength);
        if ((LogRecord.flags(raw) & LogRecord.TTL) != 0 && valueLength >= Long.BYTES && compactor != null) {
            compactor.ttlWritten(a, value.getLong(valueOffset, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
    }

    /** Turns the mutable record at {@code a} into its tombstone form. */
    void tombstone(long a) {
        LogRecord.tombstone(log.writableAddress(a));
    }

    @Override
    public void close() {
        index.close();
    }
}

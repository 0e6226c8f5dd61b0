package io.tidemark.state.offheap;

import org.agrona.UnsafeApi;

/**
 * The hash index of the {@link HybridLog}: one open-addressing table of 64-bit entries in its own off-heap memory,
 * probed linearly from the home bucket (8 entries, one cache line). A key (state, key, namespace, and for a map entry
 * the user key) has exactly one entry; the entry holds a tag of the key's hash and the address of the key's latest
 * record, so a lookup compares one record in the common case. See {@code docs/spec/hybrid-log.md} §4.
 *
 * <pre>
 *  entry (u64)
 *   63                       41   40   39                                    0
 *  +---------------------------+------+---------------------------------------+
 *  | tag: hash bits 0-22       | kind | record address >>> 3 (mod 2^40)       |
 *  +---------------------------+------+---------------------------------------+
 *  0 = empty, 1 = deleted (no live entry is either: record addresses are >= 64)
 * </pre>
 *
 * The bucket comes from the hash's high bits. The table is rebuilt (doubled when more than half of it is live, else at
 * the same size to drop deleted entries) when live plus deleted entries pass 3/4; the rebuild rehashes each entry from
 * its record's bytes ({@link Rehash}), so the entry needs no spare hash bits.
 *
 * <p>Owner thread only; the memory is freed by {@link #close}. No allocation except rebuilds.
 */
final class LogIndex implements AutoCloseable {
    static final long EMPTY = 0;
    static final long DELETED = 1;
    static final long ADDRESS_MASK = (1L << 40) - 1;
    static final long KIND_EK = 1L << 40;
    static final int TAG_SHIFT = 41;
    static final long TAG_MASK = (1L << 23) - 1;
    static final long MATCH_MASK = ~ADDRESS_MASK;
    private static final int BUCKET_ENTRIES = 8;
    private static final long SPAN = 1L << 43;

    /** Recomputes an entry's hash from its record, for rebuilds. */
    interface Rehash {
        long hashOf(long recordAddress, boolean entryKey);
    }

    private long base;
    private long capacity;
    private long mask;
    private int hashShift;
    private long live;
    private long used;
    /** Live state-key (PK) entries: the (key, namespace) pairs with a value, a list or a map. */
    private long livePk;

    LogIndex(long initialEntries) {
        allocate(Math.max(64, Long.highestOneBit(initialEntries - 1) << 1));
    }

    private void allocate(long entries) {
        base = UnsafeApi.allocateMemory(entries * 8);
        UnsafeApi.setMemory(base, entries * 8, (byte) 0);
        capacity = entries;
        mask = entries - 1;
        livePk = 0;
        hashShift = 64 - Long.numberOfTrailingZeros(entries / BUCKET_ENTRIES);
        live = 0;
        used = 0;
    }

    /** Tag and kind bits of a hash; compare with {@code entry & MATCH_MASK}. */
    static long match(long hash, boolean entryKey) {
        return ((hash & TAG_MASK) << TAG_SHIFT) | (entryKey ? KIND_EK : 0);
    }

    /** The first slot to probe for {@code hash}. */
    long home(long hash) {
        return (hashShift == 64 ? 0 : (hash >>> hashShift)) * BUCKET_ENTRIES;
    }

    long next(long slot) {
        return (slot + 1) & mask;
    }

    long entry(long slot) {
        return UnsafeApi.getLong(base + (slot << 3));
    }

    /** The full log address of a live entry, given the log's tail (addresses are stored modulo 2^43). */
    static long address(long entry, long tail) {
        final long full = (tail & -SPAN) | ((entry & ADDRESS_MASK) << 3);
        return full > tail ? full - SPAN : full;
    }

    static long entry(long match, long address) {
        return match | ((address >>> 3) & ADDRESS_MASK);
    }

    /** Rewrites a live entry's address. */
    void update(long slot, long match, long address) {
        UnsafeApi.putLong(base + (slot << 3), entry(match, address));
    }

    void delete(long slot) {
        if ((entry(slot) & KIND_EK) == 0) {
            livePk--;
        }
        UnsafeApi.putLong(base + (slot << 3), DELETED);
        live--;
    }

    /**
     * Inserts a key known to be absent: writes the first empty or deleted slot from its home. The caller calls
     * {@link #reserve} before any lookup of the operation, so no rebuild happens here.
     */
    void insert(long hash, long match, long address) {
        long slot = home(hash);
        long e;
        while ((e = entry(slot)) != EMPTY && e != DELETED) {
            slot = next(slot);
        }
        if (e == EMPTY) {
            used++;
        }
        live++;
        if ((match & KIND_EK) == 0) {
            livePk++;
        }
        UnsafeApi.putLong(base + (slot << 3), entry(match, address));
    }

    /** Makes room for {@code inserts} more entries, rebuilding first if needed; slots found before are invalid then. */
    void reserve(int inserts, long tail, Rehash rehash) {
        if ((used + inserts) * 4 > capacity * 3) {
            rebuild(live * 2 > capacity ? capacity * 2 : capacity, tail, rehash);
        }
    }

    private void rebuild(long entries, long tail, Rehash rehash) {
        final long oldBase = base;
        final long oldCapacity = capacity;
        allocate(entries);
        for (long slot = 0; slot < oldCapacity; slot++) {
            final long e = UnsafeApi.getLong(oldBase + (slot << 3));
            if (e == EMPTY || e == DELETED) {
                continue;
            }
            final boolean entryKey = (e & KIND_EK) != 0;
            final long hash = rehash.hashOf(address(e, tail), entryKey);
            insert(hash, match(hash, entryKey), address(e, tail));
        }
        UnsafeApi.freeMemory(oldBase);
    }

    /** Removes every entry. */
    void clear() {
        UnsafeApi.setMemory(base, capacity * 8, (byte) 0);
        live = 0;
        used = 0;
        livePk = 0;
    }

    long live() {
        return live;
    }

    long livePk() {
        return livePk;
    }

    /** Off-heap bytes of the table. */
    long bytes() {
        return capacity * 8;
    }

    @Override
    public void close() {
        if (base != 0) {
            UnsafeApi.freeMemory(base);
            base = 0;
        }
    }
}

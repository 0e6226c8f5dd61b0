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
 *   63      58 57  55  54   53            40 39                                      0
 *  +----------+------+------+---------------+-----------------------------------------+
 *  | growth 6 | disp | kind | tag: hash 0-13| record address >>> 3 (mod 2^40)         |
 *  +----------+------+------+---------------+-----------------------------------------+
 *  0 = empty, 1 = deleted; a live entry has the growth marker bit set, so it is neither
 * </pre>
 *
 * <ul>
 *   <li>The home bucket is the hash's high bits; {@code disp} is the number of buckets between it and the entry's
 *       bucket (7 = "7 or more": such an entry is rehashed from its record when the table is rebuilt).
 *   <li>{@code growth} is a marker bit followed by the known hash bits just below the bucket bits (5 when written):
 *       doubling the table takes the top known bit to place the entry, so a rebuild reads no record while an entry
 *       has a known bit left (every write of a key refreshes them; only entries not written during five doublings
 *       are rehashed from their record's bytes, {@link Rehash}).
 * </ul>
 *
 * The table is rebuilt (doubled when more than half of it is live, else at the same size to drop deleted entries)
 * when live plus deleted entries pass 3/4.
 *
 * <p>Owner thread only; the memory is freed by {@link #close}. No allocation except rebuilds.
 */
final class LogIndex implements AutoCloseable {
    static final long EMPTY = 0;
    static final long DELETED = 1;
    static final long ADDRESS_MASK = (1L << 40) - 1;
    static final int TAG_SHIFT = 40;
    static final long TAG_MASK = (1L << 14) - 1;
    static final long KIND_EK = 1L << 54;
    /** Tag and kind: what a lookup compares before it reads the record. */
    static final long MATCH_MASK = (TAG_MASK << TAG_SHIFT) | KIND_EK;

    private static final int DISP_SHIFT = 55;
    private static final int MAX_DISP = 7;
    private static final int GROWTH_SHIFT = 58;
    private static final int GROWTH_BITS = 5;
    private static final int BUCKET_ENTRIES = 8;
    private static final long SPAN = 1L << 43;

    /** Recomputes an entry's hash from its record, for rebuilds. */
    interface Rehash {
        long hashOf(long recordAddress, boolean entryKey);
    }

    private long base;
    private long capacity;
    private long mask;
    private long bucketMask;
    private int hashShift;
    private long live;
    private long used;
    /** Live state-key (PK) entries: the (key, namespace) pairs with a value, a list or a map. */
    private long livePk;
    /** Entries rehashed from their record by rebuilds since open (for statistics and tests). */
    long recordRehashes;

    /** The size the table takes at its first write (a small table until then, so an unused index costs little). */
    private final long firstEntries;

    LogIndex(long initialEntries) {
        firstEntries = powerOfTwo(initialEntries);
        allocate(64);
    }

    private static long powerOfTwo(long entries) {
        return Math.max(64, Long.highestOneBit(Math.max(64, entries) - 1) << 1);
    }

    /**
     * Before a restore fills the empty index with about {@code entries} entries: takes the size that holds them at
     * the load limit at once (one allocation, no rebuild while the restore inserts).
     */
    void presize(long entries) {
        final long wanted = powerOfTwo(Math.max(firstEntries, entries * 4 / 3 + 1));
        if (live == 0 && used == 0 && wanted > capacity) {
            UnsafeApi.freeMemory(base);
            allocate(wanted);
        }
    }

    private void allocate(long entries) {
        base = UnsafeApi.allocateMemory(entries * 8);
        UnsafeApi.setMemory(base, entries * 8, (byte) 0);
        capacity = entries;
        mask = entries - 1;
        bucketMask = entries / BUCKET_ENTRIES - 1;
        hashShift = 64 - Long.numberOfTrailingZeros(entries / BUCKET_ENTRIES);
        live = 0;
        used = 0;
        livePk = 0;
    }

    /** Tag and kind bits of a hash; compare with {@code entry & MATCH_MASK}. */
    static long match(long hash, boolean entryKey) {
        return ((hash & TAG_MASK) << TAG_SHIFT) | (entryKey ? KIND_EK : 0);
    }

    private long homeBucket(long hash) {
        return hashShift == 64 ? 0 : hash >>> hashShift;
    }

    /** The first slot to probe for {@code hash}. */
    long home(long hash) {
        return homeBucket(hash) * BUCKET_ENTRIES;
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

    /** True when the live entry {@code e} has this tag, kind and address. */
    static boolean pointsAt(long e, long match, long address) {
        return (e & (MATCH_MASK | ADDRESS_MASK)) == (match | ((address >>> 3) & ADDRESS_MASK));
    }

    /** The growth field for {@code hash} at the current size: the marker and the 5 hash bits below the bucket bits. */
    private long growth(long hash) {
        return (1L << GROWTH_BITS) | ((hash >>> (hashShift - GROWTH_BITS)) & ((1L << GROWTH_BITS) - 1));
    }

    /** Writes an entry into {@code slot}, whose home bucket is {@code home}. */
    private void write(long slot, long home, long match, long address, long growth) {
        final long disp = Math.min(MAX_DISP, ((slot / BUCKET_ENTRIES) - home) & bucketMask);
        UnsafeApi.putLong(
                base + (slot << 3),
                (growth << GROWTH_SHIFT) | (disp << DISP_SHIFT) | match | ((address >>> 3) & ADDRESS_MASK));
    }

    /** Rewrites a live entry's address (and refreshes its growth bits). */
    void update(long slot, long hash, long match, long address) {
        write(slot, homeBucket(hash), match, address, growth(hash));
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
        place(homeBucket(hash), match, address, growth(hash));
    }

    private void place(long home, long match, long address, long growth) {
        long slot = home * BUCKET_ENTRIES;
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
        write(slot, home, match, address, growth);
    }

    /** Makes room for {@code inserts} more entries, rebuilding first if needed; slots found before are invalid then. */
    void reserve(int inserts, long tail, Rehash rehash) {
        if (capacity < firstEntries && used == 0) {
            UnsafeApi.freeMemory(base);
            allocate(firstEntries);
        }
        if ((used + inserts) * 4 > capacity * 3) {
            rebuild(live * 2 > capacity ? capacity * 2 : capacity, tail, rehash);
        }
    }

    private void rebuild(long entries, long tail, Rehash rehash) {
        final long oldBase = base;
        final long oldCapacity = capacity;
        final long oldBucketMask = bucketMask;
        final boolean doubling = entries > oldCapacity;
        allocate(entries);
        for (long slot = 0; slot < oldCapacity; slot++) {
            final long e = UnsafeApi.getLong(oldBase + (slot << 3));
            if (e == EMPTY || e == DELETED) {
                continue;
            }
            final long match = e & MATCH_MASK;
            final long address = address(e, tail);
            final long disp = (e >>> DISP_SHIFT) & MAX_DISP;
            final long growth = e >>> GROWTH_SHIFT;
            final int known = 63 - Long.numberOfLeadingZeros(growth);
            if (disp == MAX_DISP || (doubling && known == 0)) {
                final long hash = rehash.hashOf(address, (e & KIND_EK) != 0);
                recordRehashes++;
                insert(hash, match, address);
                continue;
            }
            final long home = ((slot / BUCKET_ENTRIES) - disp) & oldBucketMask;
            if (!doubling) {
                place(home, match, address, growth);
                continue;
            }
            final long rest = growth & ((1L << (known - 1)) - 1);
            place((home << 1) | ((growth >>> (known - 1)) & 1), match, address, (1L << (known - 1)) | rest);
        }
        UnsafeApi.freeMemory(oldBase);
    }

    long live() {
        return live;
    }

    long livePk() {
        return livePk;
    }

    /**
     * Off-heap bytes of the table, 0 once closed. Any thread may read it racily (metrics): a plain long only the owner
     * writes.
     */
    long bytes() {
        return capacity * 8;
    }

    @Override
    public void close() {
        if (base != 0) {
            UnsafeApi.freeMemory(base);
            base = 0;
            capacity = 0;
        }
    }
}

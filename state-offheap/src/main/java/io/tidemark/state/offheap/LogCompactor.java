package io.tidemark.state.offheap;

import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.UnsafeApi;

/**
 * Compaction of the {@link HybridLog}, which is also its background TTL cleanup (see
 * {@code docs/spec/hybrid-log.md} §7): the oldest segment of the log (a run of log pages of about 1 MiB, entirely below
 * the read-only marker) is scanned record by record; live records are copied to the tail with their index entries
 * pointed at the copies, dead, superseded, tombstoned and TTL-expired ones are dropped, and the segment's pages are
 * freed ({@code begin} moves past them). Oldest first: links only point down, so once every live record below
 * {@code begin} has a copy above it, chain walks that stop below {@code begin} stay correct.
 *
 * <p>When: the log is more than four segments long and more than half of it is estimated dead ({@link #dead}), or
 * every TTL record of the oldest segment is expired. Paced: {@link #step} processes a bounded number of bytes; the
 * backend calls it at safe points (the start of a mutating operation after a page turn, and every 1,024 key changes),
 * never inside an operation, so index slots an operation holds stay valid.
 *
 * <p>Owner thread only. Allocates nothing per record except growth of its scratch buffers.
 */
final class LogCompactor {
    /** TTL decisions, by log state id, from the backend (core's {@code TtlTime} and each state's TTL config). */
    interface Expiry {
        /** True when a value written at {@code timestamp} is expired for its state (never for non-TTL states). */
        boolean expired(int logStateId, long timestamp);

        /** True when {@code timestamp} is expired for every TTL state (false when there is none). */
        boolean expiredForAll(long timestamp);

        /** The fixed length of a list state's element ({@code -1} variable), for walking TTL list chunks. */
        int elementFixed(int logStateId);
    }

    private static final long SEGMENT_BYTES = 1 << 20;
    private static final int MIN_SEGMENTS = 4;

    private final LogStore logs;
    private final HybridLog log;
    private final Expiry expiry;
    final long segmentBytes;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    private long[] chunks = new long[16];

    /** Estimated dead bytes in {@code [begin, tail)}. */
    private long deadBytes;
    /** Per segment (index {@code segment - ttlBase}): the largest TTL timestamp written into it, MIN_VALUE = none. */
    private long[] ttlMax = new long[16];

    private long ttlBase;

    private long cursor = -1;
    private long segmentEnd;
    private long copiedInSegment;

    long segmentsCompacted;
    long bytesCopied;
    long recordsDropped;

    LogCompactor(LogStore logs, Expiry expiry) {
        this(logs, expiry, SEGMENT_BYTES);
    }

    /** With another segment size (a multiple of the page size; tests use small ones). */
    LogCompactor(LogStore logs, Expiry expiry, long segmentBytes) {
        this.logs = logs;
        this.log = logs.log;
        this.expiry = expiry;
        this.segmentBytes = Math.max(log.pageSize, segmentBytes);
        Arrays.fill(ttlMax, Long.MIN_VALUE);
    }

    /** A record of {@code bytes} became dead (superseded, removed, cleared). */
    void dead(long bytes) {
        deadBytes += bytes;
    }

    /** A TTL record with timestamp {@code timestamp} was written at {@code address}. */
    void ttlWritten(long address, long timestamp) {
        final long segment = address / segmentBytes;
        if (segment < ttlBase) {
            return;
        }
        final int i = (int) (segment - ttlBase);
        if (i >= ttlMax.length) {
            final int old = ttlMax.length;
            ttlMax = Arrays.copyOf(ttlMax, Math.max(i + 1, old * 2));
            Arrays.fill(ttlMax, old, ttlMax.length, Long.MIN_VALUE);
        }
        if (timestamp > ttlMax[i]) {
            ttlMax[i] = timestamp;
        }
    }

    /** True while a segment is being compacted or one is due. */
    boolean due() {
        if (cursor >= 0) {
            return true;
        }
        final long begin = log.begin();
        final long end = (begin / segmentBytes + 1) * segmentBytes;
        final long size = log.tail() - begin;
        if (end > log.readOnly() || end + log.pageSize > (log.tail() & ~log.pageMask)) {
            return false;
        }
        final boolean garbage = size > MIN_SEGMENTS * segmentBytes && deadBytes * 2 > size;
        final long oldest = begin / segmentBytes - ttlBase;
        final boolean ttl = oldest >= 0
                && oldest < ttlMax.length
                && ttlMax[(int) oldest] != Long.MIN_VALUE
                && expiry.expiredForAll(ttlMax[(int) oldest]);
        return garbage || ttl;
    }

    /** Processes up to {@code budget} bytes of the oldest segment, starting one if due; returns true if it did work. */
    boolean step(long budget) {
        if (cursor < 0) {
            if (!due()) {
                return false;
            }
            cursor = log.begin();
            segmentEnd = (cursor / segmentBytes + 1) * segmentBytes;
            copiedInSegment = 0;
        }
        long done = 0;
        while (cursor < segmentEnd && done < budget) {
            final long a = cursor;
            final long raw = logs.raw(a);
            final int length = LogRecord.length(raw);
            final int flags = LogRecord.flags(raw);
            if (length == 0) {
                throw new IllegalStateException("log record of length 0 below the tail: address=" + a);
            }
            final boolean spanning = (flags & LogRecord.SPANNING) != 0;
            final long step = spanning ? ((a + length + log.pageSize - 1) & ~log.pageMask) - a : length;
            if (spanning && a + step > segmentEnd) {
                // a spanning record starts at a page boundary: end the segment before it, or make it the segment
                if (a > log.begin()) {
                    segmentEnd = a;
                    break;
                }
                if (a + step > (log.firstPage() + log.pageCount() - 1) << log.pageShift) {
                    return true; // its pages are still the log's last ones: wait until the log moved on
                }
                segmentEnd = a + step;
            }
            if ((flags & LogRecord.FILLER) == 0) {
                compactRecord(a, flags);
            }
            cursor += step;
            done += step;
        }
        if (cursor >= segmentEnd) {
            finishSegment();
        }
        return true;
    }

    private void finishSegment() {
        final int pages = (int) ((segmentEnd >>> log.pageShift) - log.firstPage());
        final long freed = segmentEnd - log.begin();
        log.dropFirstPages(pages);
        deadBytes = Math.max(0, deadBytes - (freed - copiedInSegment));
        final long firstSegment = log.begin() / segmentBytes;
        final int shift = (int) Math.min(ttlMax.length, firstSegment - ttlBase);
        if (shift > 0) {
            ttlMax = Arrays.copyOfRange(ttlMax, shift, ttlMax.length + shift);
            Arrays.fill(ttlMax, ttlMax.length - shift, ttlMax.length, Long.MIN_VALUE);
            ttlBase = firstSegment;
        }
        cursor = -1;
        segmentsCompacted++;
    }

    private void compactRecord(long a, int flags) {
        if ((flags & LogRecord.LIST_CHUNK) != 0 && (flags & LogRecord.TOMBSTONE) == 0) {
            compactListChunk(a);
            return;
        }
        final long pk = logs.hashOf(a, false);
        final long headSlot = logs.slotOf(pk, false, a);
        if ((flags & (LogRecord.TOMBSTONE | LogRecord.MAP_CLEAR)) != 0) {
            drop(headSlot); // everything a tombstone or a clear shadowed is older, so already gone
            return;
        }
        if ((flags & LogRecord.MAP_ENTRY) != 0) {
            compactMapEntry(a, flags, pk, headSlot);
            return;
        }
        if (headSlot < 0) {
            recordsDropped++;
            return;
        }
        if (expired(a, flags)) {
            drop(headSlot);
            return;
        }
        final long copy = copy(a, 0);
        logs.setEntry(headSlot, pk, false, copy);
    }

    /** Drops a record; an index entry still pointing at it goes too. */
    private void drop(long slot) {
        if (slot >= 0) {
            logs.index.delete(slot);
        }
        recordsDropped++;
    }

    private void compactMapEntry(long a, int flags, long pk, long headSlot) {
        final long ek = logs.hashOf(a, true);
        final long entrySlot = logs.slotOf(ek, true, a);
        if (entrySlot < 0 || expired(a, flags)) {
            // dead or expired; if it is still the map's head, nothing older in the map is live (it was copied
            // above, which moved the head), so the map is empty
            if (entrySlot >= 0) {
                logs.index.delete(entrySlot);
            }
            drop(headSlot);
            return;
        }
        final long head = logs.findLike(a, pk, false);
        final long currentHeadSlot = head == 0 ? -1 : logs.slot;
        final long copy = copy(a, head == a ? 0 : head);
        logs.setEntry(entrySlot, ek, true, copy);
        logs.setEntry(currentHeadSlot, pk, false, copy);
    }

    private boolean expired(long a, int flags) {
        if ((flags & LogRecord.TTL) == 0) {
            return false;
        }
        final long raw = logs.raw(a);
        if (LogRecord.valueLength(raw) < Long.BYTES) {
            return false;
        }
        return expiry.expired(LogRecord.stateId(raw), UnsafeApi.getLong(raw + LogRecord.valueOffset(raw)));
    }

    private long copy(long a, long link) {
        final long copy = logs.copyRecord(a, link);
        final int length = LogRecord.length(logs.raw(copy));
        copiedInSegment += length;
        bytesCopied += length;
        return copy;
    }

    /**
     * A list chunk is live when the list's chain from its head reaches it; then the whole list is rewritten as one
     * chunk (expired elements dropped), so its other chunks in this segment are dead when the scan meets them.
     */
    private void compactListChunk(long a) {
        final long pk = logs.hashOf(a, false);
        final long head = logs.findLike(a, pk, false);
        if (head == 0) {
            recordsDropped++;
            return;
        }
        final long headSlot = logs.slot;
        int n = 0;
        boolean reached = false;
        final long begin = log.begin();
        for (long c = head; c != 0 && c >= begin; c = LogRecord.link(logs.raw(c))) {
            if (n == chunks.length) {
                chunks = Arrays.copyOf(chunks, n * 2);
            }
            chunks[n++] = c;
            reached |= c == a;
        }
        if (!reached) {
            recordsDropped++;
            return;
        }
        final int stateId = LogRecord.stateId(logs.raw(a));
        final boolean ttl = (LogRecord.flags(logs.raw(head)) & LogRecord.TTL) != 0;
        final int fixed = ttl ? expiry.elementFixed(stateId) : 0;
        int count = 0;
        int position = Integer.BYTES;
        for (int i = n - 1; i >= 0; i--) {
            final long raw = logs.raw(chunks[i]);
            final long value = raw + LogRecord.valueOffset(raw);
            final int length = LogRecord.valueLength(raw);
            long at = value + Integer.BYTES;
            final long end = value + length;
            while (at < end) {
                final int elementLength = fixed >= 0 && ttl ? fixed : ttl ? UnsafeApi.getInt(at) : -1;
                if (!ttl) {
                    // no per-element decisions: copy the chunk's elements as they are
                    final int bytes = (int) (end - at);
                    scratch.checkLimit(position + bytes);
                    UnsafeApi.copyMemory(null, at, scratch.byteArray(), scratch.addressOffset() + position, bytes);
                    position += bytes;
                    count += UnsafeApi.getInt(value);
                    break;
                }
                final int prefix = fixed >= 0 ? 0 : Integer.BYTES;
                final int framed = prefix + elementLength;
                if (elementLength < Long.BYTES || at + framed > end) {
                    throw new IllegalStateException("TTL list element out of range: address=" + chunks[i]);
                }
                if (!expiry.expired(stateId, UnsafeApi.getLong(at + prefix))) {
                    scratch.checkLimit(position + framed);
                    UnsafeApi.copyMemory(null, at, scratch.byteArray(), scratch.addressOffset() + position, framed);
                    position += framed;
                    count++;
                }
                at += framed;
            }
        }
        scratch.putInt(0, count, ByteOrder.LITTLE_ENDIAN);
        if (count == 0) {
            logs.appendLike(a, LogRecord.LIST_CHUNK | LogRecord.TOMBSTONE, null, 0, 0);
            drop(headSlot);
            return;
        }
        final long copy = logs.appendLike(
                a, LogRecord.LIST_CHUNK | LogRecord.LINK | (ttl ? LogRecord.TTL : 0), scratch, position, position);
        copiedInSegment += position;
        bytesCopied += position;
        logs.setEntry(headSlot, pk, false, copy);
    }
}

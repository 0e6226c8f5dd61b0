package io.tidemark.state.offheap;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The partition keys that have a live entry in one log state, for {@code KeyedStateBackend.forEachKey}: the state's
 * records replayed in address order straight from the live log, by the rules {@link LogCanonicalView} applies to a
 * snapshot ({@code docs/spec/hybrid-log.md} §9.1): the latest value record or list chunk of a (key, namespace) wins,
 * a tombstone removes it; a map entry adds its user key, an entry tombstone removes it, a MAP_CLEAR empties the map.
 * Unlike the snapshot's view it copies no log page: it reads each record where it lies.
 *
 * <p>Owner thread only, nothing written meanwhile. Holds the (key, namespace) parts of the state's records, and the
 * user keys of its maps, on the heap while it runs; reads every log page once (spilled pages are faulted in).
 */
final class LogKeyScan {
    /** Receives the bytes of one partition key; the buffer is a view valid during the call. */
    interface KeySink {
        void key(UnsafeBuffer key, int keyLength);
    }

    /** Marks a (key, namespace) whose latest value or list is live. */
    private static final Set<Bytes> VALUE = Set.of();

    /** Bytes compared by content. */
    private record Bytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private LogKeyScan() {}

    /**
     * Emits the partition key of every (key, namespace) of log state {@code stateId} in key groups
     * {@code [firstKeyGroup, firstKeyGroup + keyGroups)} that holds a value, a list or a map with an entry.
     *
     * @throws IllegalStateException if a record's length is out of range
     */
    static void forEachLiveKey(LogStore logs, int stateId, int firstKeyGroup, int keyGroups, KeySink sink) {
        final HybridLog log = logs.log;
        if (log.isEmpty()) {
            return;
        }
        // (keyLength u16 | key | namespace) -> VALUE, or the map's live user keys
        final Map<Bytes, Set<Bytes>> live = new LinkedHashMap<>();
        final long tail = log.tail();
        for (long a = log.begin(); a < tail; ) {
            final long raw = logs.raw(a);
            final int length = LogRecord.length(raw);
            final int flags = LogRecord.flags(raw);
            if (length < 8 || (length & 7) != 0 || a + length > tail) {
                throw new IllegalStateException(
                        "log record length out of range: address=" + a + ", length=" + length + ", tail=" + tail);
            }
            final int group = LogRecord.keyGroup(raw) - firstKeyGroup;
            if ((flags & LogRecord.FILLER) == 0
                    && LogRecord.stateId(raw) == stateId
                    && group >= 0
                    && group < keyGroups) {
                replay(raw, flags, live);
            }
            a += (flags & LogRecord.SPANNING) != 0 ? ((a + length + log.pageSize - 1) & ~log.pageMask) - a : length;
        }
        final UnsafeBuffer key = new UnsafeBuffer(0, 0);
        for (Map.Entry<Bytes, Set<Bytes>> entry : live.entrySet()) {
            if (entry.getValue() == VALUE || !entry.getValue().isEmpty()) {
                final byte[] bytes = entry.getKey().bytes();
                final int keyLength = (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8;
                key.wrap(bytes, 2, keyLength);
                sink.key(key, keyLength);
            }
        }
    }

    private static void replay(long raw, int flags, Map<Bytes, Set<Bytes>> live) {
        final Bytes key = keyAndNamespace(raw);
        final boolean tombstone = (flags & LogRecord.TOMBSTONE) != 0;
        if ((flags & LogRecord.MAP_ENTRY) != 0) {
            Set<Bytes> entries = live.get(key);
            if (entries == null || entries == VALUE) {
                entries = new HashSet<>();
                live.put(key, entries);
            }
            final Bytes userKey = userKey(raw);
            if (tombstone) {
                entries.remove(userKey);
            } else {
                entries.add(userKey);
            }
        } else if ((flags & LogRecord.MAP_CLEAR) != 0) {
            final Set<Bytes> entries = live.get(key);
            if (entries != null && entries != VALUE) {
                entries.clear();
            }
        } else if (tombstone) {
            live.remove(key);
        } else {
            live.put(key, VALUE);
        }
    }

    private static Bytes keyAndNamespace(long raw) {
        final int keyLength = LogRecord.keyLength(raw);
        final int parts = keyLength + LogRecord.namespaceLength(raw);
        final byte[] bytes = new byte[parts + 2];
        bytes[0] = (byte) keyLength;
        bytes[1] = (byte) (keyLength >>> 8);
        UnsafeApi.copyMemory(null, raw + LogRecord.keyOffset(raw), bytes, BufferUtil.ARRAY_BASE_OFFSET + 2, parts);
        return new Bytes(bytes);
    }

    private static Bytes userKey(long raw) {
        final int length = LogRecord.userKeyLength(raw);
        final byte[] bytes = new byte[length];
        final long at = raw + LogRecord.keyOffset(raw) + LogRecord.keyLength(raw) + LogRecord.namespaceLength(raw);
        UnsafeApi.copyMemory(null, at, bytes, BufferUtil.ARRAY_BASE_OFFSET, length);
        return new Bytes(bytes);
    }
}

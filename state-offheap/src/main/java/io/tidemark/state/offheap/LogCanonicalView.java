package io.tidemark.state.offheap;

import io.tidemark.backend.internal.SnapshotSource;
import io.tidemark.memory.PageSnapshot;
import io.tidemark.serialization.MapSerializer;
import io.tidemark.serialization.StateSerializer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The canonical snapshot's view of the log: the live entries of each (state, key group) as of the synchronous part,
 * found without the owner's index (which moves on). The log below the marker is copied once into native memory
 * (a transient copy the size of the log, freed at {@link #close}); one scan sorts record offsets by key group; per key
 * group, latest-wins maps apply tombstones and MAP_CLEAR records in address order, lists are gathered from their chunk
 * chains, and entries are decoded with the states' serializers. See {@code docs/spec/hybrid-log.md} §9.1.
 *
 * <p>Snapshot thread only. Allocates per entry (the canonical path decodes objects).
 */
final class LogCanonicalView implements AutoCloseable {
    /** Fills native memory with log bytes {@code [from, to)}. */
    interface Source {
        void copy(long from, long to, long target);
    }

    /** Receives one entry in canonical bytes; the buffers are views valid during the call. */
    interface BytesSink {
        void entry(
                DirectBuffer key,
                int keyLength,
                DirectBuffer namespace,
                int namespaceLength,
                DirectBuffer value,
                int valueLength);
    }

    private final Source source;
    private final long logBegin;
    private final long marker;
    private final int pageSize;
    private final int firstKeyGroup;
    private final int keyGroups;
    private long base;
    private long[][] offsetsByGroup;
    private int[] countByGroup;

    private int loadedGroup = -1;
    /** Per log state id: key (state, key, namespace) to the offset of its latest value record or list head. */
    private final Map<Integer, Map<Bytes, Long>> latest = new HashMap<>();
    /** Per log state id: map key to its live entries' offsets (user key to offset). */
    private final Map<Integer, Map<Bytes, Map<Bytes, Long>>> maps = new HashMap<>();

    LogCanonicalView(Source source, long logBegin, long marker, int pageSize, int firstKeyGroup, int keyGroups) {
        this.source = source;
        this.logBegin = logBegin;
        this.marker = marker;
        this.pageSize = pageSize;
        this.firstKeyGroup = firstKeyGroup;
        this.keyGroups = keyGroups;
    }

    /** The log of a snapshot's synchronous part, read through its page snapshot. */
    static LogCanonicalView of(PageSnapshot snapshot, LogCapture log, int firstKeyGroup, int keyGroups) {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[log.pageSize()]);
        return new LogCanonicalView(
                (from, to, target) -> log.copy(snapshot, from, to, target, page),
                log.begin(),
                log.marker(),
                log.pageSize(),
                firstKeyGroup,
                keyGroups);
    }

    /**
     * The live log of {@code logs} from its begin to its tail, read on the owner thread while nothing writes (a
     * canonical snapshot of restored states).
     */
    static LogCanonicalView ofLive(LogStore logs, int firstKeyGroup, int keyGroups) {
        final HybridLog log = logs.log;
        return new LogCanonicalView(
                (from, to, target) -> {
                    for (long at = from; at < to; ) {
                        final int n = (int) Math.min(to - at, log.pageSize - (at & log.pageMask));
                        UnsafeApi.copyMemory(logs.raw(at), target + (at - from), n);
                        at += n;
                    }
                },
                log.begin(),
                log.tail(),
                log.pageSize,
                firstKeyGroup,
                keyGroups);
    }

    /** Bytes of a key part sequence, compared by content. */
    record Bytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private void load() {
        if (offsetsByGroup != null) {
            return;
        }
        offsetsByGroup = new long[keyGroups][];
        countByGroup = new int[keyGroups];
        final long size = marker - logBegin;
        if (size <= 0) {
            return;
        }
        base = UnsafeApi.allocateMemory(size);
        source.copy(logBegin, marker, base);
        long at = 0;
        while (at < size) {
            final long raw = base + at;
            final int length = LogRecord.length(raw);
            final int flags = LogRecord.flags(raw);
            if (length < 8 || (length & 7) != 0 || at + length > size) {
                throw new IllegalStateException("log record length out of range: address=" + (logBegin + at)
                        + ", length=" + length + ", marker=" + marker);
            }
            final long step = (flags & LogRecord.SPANNING) != 0 ? roundToPage(logBegin + at, length) : length;
            final int group = LogRecord.keyGroup(raw) - firstKeyGroup;
            // fillers carry no key group; another task's key groups appear when part of a handle is converted
            if ((flags & LogRecord.FILLER) == 0 && group >= 0 && group < keyGroups) {
                long[] offsets = offsetsByGroup[group];
                if (offsets == null) {
                    offsets = offsetsByGroup[group] = new long[16];
                } else if (countByGroup[group] == offsets.length) {
                    offsets = offsetsByGroup[group] = Arrays.copyOf(offsets, offsets.length * 2);
                }
                offsets[countByGroup[group]++] = at;
            }
            at += step;
        }
    }

    private long roundToPage(long address, int length) {
        final long end = address + length;
        return ((end + pageSize - 1) & -(long) pageSize) - address;
    }

    private void loadGroup(int keyGroup) {
        load();
        if (loadedGroup == keyGroup) {
            return;
        }
        loadedGroup = keyGroup;
        latest.clear();
        maps.clear();
        final int group = keyGroup - firstKeyGroup;
        final long[] offsets = offsetsByGroup[group];
        final Map<Bytes, Long> clears = new HashMap<>();
        for (int i = 0; i < countByGroup[group]; i++) {
            final long o = offsets[i];
            final long raw = base + o;
            final int flags = LogRecord.flags(raw);
            final int stateId = LogRecord.stateId(raw);
            final Bytes key = keyOf(raw, false);
            if ((flags & LogRecord.MAP_ENTRY) != 0) {
                final Map<Bytes, Long> entries = maps.computeIfAbsent(stateId, s -> new LinkedHashMap<>())
                        .computeIfAbsent(key, k -> new LinkedHashMap<>());
                final Bytes userKey = userKeyOf(raw);
                if ((flags & LogRecord.TOMBSTONE) != 0) {
                    entries.remove(userKey);
                } else {
                    entries.put(userKey, o);
                }
            } else if ((flags & LogRecord.MAP_CLEAR) != 0) {
                final Map<Bytes, Long> entries = maps.computeIfAbsent(stateId, s -> new LinkedHashMap<>())
                        .get(key);
                if (entries != null) {
                    entries.clear();
                }
                clears.put(key, o);
            } else {
                final Map<Bytes, Long> values = latest.computeIfAbsent(stateId, s -> new LinkedHashMap<>());
                if ((flags & LogRecord.TOMBSTONE) != 0) {
                    values.remove(key);
                } else {
                    values.put(key, o);
                }
            }
        }
    }

    private Bytes keyOf(long raw, boolean withUserKey) {
        final int parts = LogRecord.keyLength(raw)
                + LogRecord.namespaceLength(raw)
                + (withUserKey ? LogRecord.userKeyLength(raw) : 0);
        final byte[] bytes = new byte[parts + 2];
        bytes[0] = (byte) LogRecord.stateId(raw);
        bytes[1] = (byte) (LogRecord.stateId(raw) >>> 8);
        UnsafeApi.copyMemory(
                null, raw + LogRecord.keyOffset(raw), bytes, org.agrona.BufferUtil.ARRAY_BASE_OFFSET + 2, parts);
        return new Bytes(bytes);
    }

    private static Bytes userKeyOf(long raw) {
        final int length = LogRecord.userKeyLength(raw);
        final byte[] bytes = new byte[length];
        final long at = raw + LogRecord.keyOffset(raw) + LogRecord.keyLength(raw) + LogRecord.namespaceLength(raw);
        UnsafeApi.copyMemory(null, at, bytes, org.agrona.BufferUtil.ARRAY_BASE_OFFSET, length);
        return new Bytes(bytes);
    }

    /** Emits the live entries of log state {@code stateId} in {@code keyGroup}, decoded with the given serializers. */
    @SuppressWarnings("unchecked")
    void forEachEntry(
            int stateId,
            byte shape,
            int keyGroup,
            StateSerializer<Object> keys,
            StateSerializer<Object> namespaces,
            StateSerializer<Object> values,
            SnapshotSource.EntryConsumer consumer) {
        loadGroup(keyGroup);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        if (shape == StateTables.SHAPE_MAP) {
            final Map<Bytes, Map<Bytes, Long>> byMap = maps.getOrDefault(stateId, Map.of());
            final MapSerializer<Object, Object> map = (MapSerializer<Object, Object>) (StateSerializer<?>) values;
            for (Map<Bytes, Long> entries : byMap.values()) {
                if (entries.isEmpty()) {
                    continue;
                }
                final Map<Object, Object> decoded = new LinkedHashMap<>();
                long any = 0;
                for (Long o : entries.values()) {
                    final long raw = base + o;
                    any = raw;
                    final int uk = LogRecord.userKeyLength(raw);
                    final long ukAt =
                            raw + LogRecord.keyOffset(raw) + LogRecord.keyLength(raw) + LogRecord.namespaceLength(raw);
                    final Object userKey = map.keySerializer().read(wrap(view, ukAt, uk), 0, uk);
                    final int vl = LogRecord.valueLength(raw);
                    decoded.put(
                            userKey,
                            map.valueSerializer().read(wrap(view, raw + LogRecord.valueOffset(raw), vl), 0, vl));
                }
                emit(any, keys, namespaces, decoded, consumer, view);
            }
            return;
        }
        final Map<Bytes, Long> byKey = latest.getOrDefault(stateId, Map.of());
        final ExpandableArrayBuffer list = new ExpandableArrayBuffer(256);
        for (Long o : byKey.values()) {
            final long raw = base + o;
            final Object value;
            if (shape == StateTables.SHAPE_LIST) {
                final int length = gatherList(o, list);
                value = values.read(list, 0, length);
            } else {
                final int vl = LogRecord.valueLength(raw);
                value = values.read(wrap(view, raw + LogRecord.valueOffset(raw), vl), 0, vl);
            }
            emit(raw, keys, namespaces, value, consumer, view);
        }
    }

    /**
     * Emits the live entries of log state {@code stateId} in {@code keyGroup} as canonical bytes: values as stored,
     * lists as {@code count | elements}, maps framed as {@code MapSerializer} frames them ({@code count | (userKey,
     * value)*}, a part with a variable length prefixed by its i32 LE length).
     */
    void forEachEntryBytes(int stateId, byte shape, int userKeyFixed, int valueFixed, int keyGroup, BytesSink sink) {
        loadGroup(keyGroup);
        final UnsafeBuffer key = new UnsafeBuffer(0, 0);
        final UnsafeBuffer namespace = new UnsafeBuffer(0, 0);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(256);
        if (shape == StateTables.SHAPE_MAP) {
            for (Map<Bytes, Long> entries : maps.getOrDefault(stateId, Map.of()).values()) {
                if (entries.isEmpty()) {
                    continue;
                }
                value.putInt(0, entries.size(), ByteOrder.LITTLE_ENDIAN);
                int position = Integer.BYTES;
                long any = 0;
                for (Long o : entries.values()) {
                    final long raw = base + o;
                    any = raw;
                    final int uk = LogRecord.userKeyLength(raw);
                    final long ukAt =
                            raw + LogRecord.keyOffset(raw) + LogRecord.keyLength(raw) + LogRecord.namespaceLength(raw);
                    position = frame(value, position, ukAt, uk, userKeyFixed);
                    position = frame(
                            value, position, raw + LogRecord.valueOffset(raw), LogRecord.valueLength(raw), valueFixed);
                }
                emitBytes(any, value, position, key, namespace, sink);
            }
            return;
        }
        for (Long o : latest.getOrDefault(stateId, Map.of()).values()) {
            final long raw = base + o;
            if (shape == StateTables.SHAPE_LIST) {
                emitBytes(raw, value, gatherList(o, value), key, namespace, sink);
            } else {
                final int vl = LogRecord.valueLength(raw);
                emitBytes(raw, wrap(view, raw + LogRecord.valueOffset(raw), vl), vl, key, namespace, sink);
            }
        }
    }

    private static int frame(ExpandableArrayBuffer target, int position, long at, int length, int fixed) {
        if (fixed < 0) {
            target.putInt(position, length, ByteOrder.LITTLE_ENDIAN);
            position += Integer.BYTES;
        }
        target.checkLimit(position + length);
        UnsafeApi.copyMemory(null, at, target.byteArray(), target.addressOffset() + position, length);
        return position + length;
    }

    private static void emitBytes(
            long raw, DirectBuffer value, int valueLength, UnsafeBuffer key, UnsafeBuffer namespace, BytesSink sink) {
        final int kl = LogRecord.keyLength(raw);
        final int nl = LogRecord.namespaceLength(raw);
        final long keyAt = raw + LogRecord.keyOffset(raw);
        sink.entry(wrap(key, keyAt, kl), kl, wrap(namespace, keyAt + kl, nl), nl, value, valueLength);
    }

    private static UnsafeBuffer wrap(UnsafeBuffer view, long address, int length) {
        view.wrap(address, length);
        return view;
    }

    private void emit(
            long raw,
            StateSerializer<Object> keys,
            StateSerializer<Object> namespaces,
            Object value,
            SnapshotSource.EntryConsumer consumer,
            UnsafeBuffer view) {
        final int kl = LogRecord.keyLength(raw);
        final int nl = LogRecord.namespaceLength(raw);
        final long keyAt = raw + LogRecord.keyOffset(raw);
        final Object key = keys.read(wrap(view, keyAt, kl), 0, kl);
        final Object namespace = namespaces.read(wrap(view, keyAt + kl, nl), 0, nl);
        consumer.accept(key, namespace, value);
    }

    /** The list whose head chunk is at offset {@code head}, canonical ({@code count | elements}); its length. */
    private int gatherList(long head, ExpandableArrayBuffer target) {
        final List<Long> chain = new ArrayList<>();
        for (long o = head; ; ) {
            chain.add(o);
            final long link = LogRecord.link(base + o);
            if (link == 0 || link < logBegin) {
                break;
            }
            o = link - logBegin;
        }
        int count = 0;
        int position = Integer.BYTES;
        for (int i = chain.size() - 1; i >= 0; i--) {
            final long raw = base + chain.get(i);
            final int length = LogRecord.valueLength(raw);
            final long value = raw + LogRecord.valueOffset(raw);
            count += UnsafeApi.getInt(value);
            target.checkLimit(position + length);
            UnsafeApi.copyMemory(
                    null,
                    value + Integer.BYTES,
                    target.byteArray(),
                    target.addressOffset() + position,
                    length - Integer.BYTES);
            position += length - Integer.BYTES;
        }
        target.putInt(0, count, ByteOrder.LITTLE_ENDIAN);
        return position;
    }

    @Override
    public void close() {
        if (base != 0) {
            UnsafeApi.freeMemory(base);
            base = 0;
        }
    }
}

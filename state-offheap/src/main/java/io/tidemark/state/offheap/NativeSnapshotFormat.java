package io.tidemark.state.offheap;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.IncompatibleStateException;
import io.tidemark.SerializationException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@value #FORMAT_NAME} keyed snapshot format: fused-table pages and log ranges in shared streams, one stream per
 * task (key-group range) and checkpoint holding what that checkpoint wrote, and a payload in the handle that says
 * which page of which fused table and which range of the log lives where. Big-endian ({@link DataOutputStream}).
 * Specified in {@code docs/spec/hybrid-log.md} §6.5 (log) and {@code docs/spec/offheap-tables.md} (fused tables).
 *
 * <pre>
 * payload: magic i32 "TMHL" | version i32 | pageSize i32 | maxParallelism i32 | key serializer snapshot
 *          | stateCount i32 | state x stateCount | tableCount i32 | table x tableCount
 *          | logBegin i64 | logMarker i64 | rangeCount i32 | range x rangeCount
 * state:   StateMetaInfo | logStateId i32 (-1: fused) | shape i8 (1 value, 2 list, 3 map)
 *          | userKeyFixed i32 | valueFixed i32 (element for lists; -1 = variable)
 * table:   stateIndex i32 | keyGroup i32 | layout i8 | keyLength i32 | namespaceLength i32 | valueLength i32
 *          | logicalCount i32 | pageCount i32 | page x pageCount
 * page:    logical i32 | kind i8 | streamIndex i32 (into the handle's streams) | offset i64 | crc32c i32
 * range:   logFrom i64 | logTo i64 | streamIndex i32 | streamOffset i64 | chunkCount i32 | crc32c i32 x chunkCount
 *          (chunk i = the bytes of log page (logFrom >>> pageShift) + i inside [logFrom, logTo))
 * </pre>
 */
final class NativeSnapshotFormat {
    static final String FORMAT_NAME = "offheap-hlog-v1";
    /** The format of the record tables this log replaced; refused with a message. */
    static final String RECORD_TABLE_FORMAT = "offheap-pages-v1";

    static final int MAGIC = 0x544d484c;
    static final int VERSION = 1;

    private static final int MAX_COUNT = 1 << 28;

    private NativeSnapshotFormat() {}

    record PageEntry(int logical, byte kind, int streamIndex, long offset, int checksum) {}

    record TableEntry(
            int stateIndex,
            int keyGroup,
            byte layout,
            int keyLength,
            int namespaceLength,
            int valueLength,
            int logicalCount,
            List<PageEntry> pages) {}

    /** A state of the payload: its meta info, where it lives (log state id or -1), and its framing for savepoints. */
    record StateEntry(StateMetaInfo meta, int logStateId, byte shape, int userKeyFixed, int valueFixed) {}

    record RangeEntry(long from, long to, int streamIndex, long offset, int[] checksums) {}

    record Payload(
            int pageSize,
            int maxParallelism,
            SerializerSnapshot<?> keySerializer,
            List<StateEntry> states,
            List<TableEntry> tables,
            long logBegin,
            long logMarker,
            List<RangeEntry> ranges) {
        List<StateMetaInfo> metas() {
            final List<StateMetaInfo> metas = new ArrayList<>(states.size());
            for (StateEntry state : states) {
                metas.add(state.meta());
            }
            return metas;
        }
    }

    static void writeHeader(
            DataOutputStream out,
            int pageSize,
            int maxParallelism,
            SerializerSnapshot<?> keySerializer,
            List<StateEntry> states)
            throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(pageSize);
        out.writeInt(maxParallelism);
        SerializerSnapshots.write(keySerializer, out);
        out.writeInt(states.size());
        for (StateEntry state : states) {
            state.meta().write(out);
            out.writeInt(state.logStateId());
            out.writeByte(state.shape());
            out.writeInt(state.userKeyFixed());
            out.writeInt(state.valueFixed());
        }
    }

    static void writeRange(DataOutputStream out, RangeEntry range) throws IOException {
        out.writeLong(range.from());
        out.writeLong(range.to());
        out.writeInt(range.streamIndex());
        out.writeLong(range.offset());
        out.writeInt(range.checksums().length);
        for (int checksum : range.checksums()) {
            out.writeInt(checksum);
        }
    }

    /** Refuses a handle of the record-table format this one replaced, with what to do instead. */
    static IncompatibleStateException recordTableFormat(KeyedStateHandle handle) {
        final String file = handle.streams().isEmpty()
                ? "<payload>"
                : handle.streams().get(0).name();
        return new IncompatibleStateException("offheap checkpoint written by an earlier Tidemark version (record "
                + "tables, format " + RECORD_TABLE_FORMAT + "): file=" + file + ", supported=" + FORMAT_NAME
                + "; native checkpoints are not portable across layout versions, restore from a savepoint");
    }

    /**
     * Parses a handle's payload.
     *
     * @throws CorruptCheckpointException naming the handle's first stream if the payload does not parse
     */
    static Payload read(KeyedStateHandle handle, ClassLoader classLoader) {
        if (RECORD_TABLE_FORMAT.equals(handle.format())) {
            throw recordTableFormat(handle);
        }
        final String file = handle.streams().isEmpty()
                ? "<payload>"
                : handle.streams().get(0).name();
        final byte[] bytes = handle.payload();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final int magic = in.readInt();
            if (magic != MAGIC) {
                throw new CorruptCheckpointException("offheap snapshot payload magic", file, 0, MAGIC, magic);
            }
            final int version = in.readInt();
            if (version != VERSION) {
                throw new CorruptCheckpointException("offheap snapshot payload version", file, 4, VERSION, version);
            }
            final int pageSize = in.readInt();
            if (pageSize < 4096 || Integer.bitCount(pageSize) != 1) {
                throw new CorruptCheckpointException("offheap snapshot page size", file, 8, "power of two", pageSize);
            }
            final int maxParallelism = in.readInt();
            final SerializerSnapshot<?> keySerializer = SerializerSnapshots.read(in, classLoader);
            final int stateCount = count(in, file);
            final List<StateEntry> states = new ArrayList<>(stateCount);
            for (int i = 0; i < stateCount; i++) {
                final StateMetaInfo meta = StateMetaInfo.read(in, classLoader);
                final int logStateId = in.readInt();
                final byte shape = in.readByte();
                final int userKeyFixed = in.readInt();
                final int valueFixed = in.readInt();
                if (logStateId < -1 || logStateId > LogRecord.MAX_PART || shape < 1 || shape > 3) {
                    throw new CorruptCheckpointException(
                            "offheap snapshot state entry",
                            file,
                            0,
                            "logStateId in [-1, 65535], shape in [1, 3]",
                            "logStateId=" + logStateId + ", shape=" + shape);
                }
                states.add(new StateEntry(meta, logStateId, shape, userKeyFixed, valueFixed));
            }
            final int tableCount = count(in, file);
            final List<TableEntry> tables = new ArrayList<>(Math.min(tableCount, 1024));
            for (int t = 0; t < tableCount; t++) {
                tables.add(readTable(in, file, handle, stateCount));
            }
            final long logBegin = in.readLong();
            final long logMarker = in.readLong();
            final int rangeCount = count(in, file);
            final List<RangeEntry> ranges = new ArrayList<>(Math.min(rangeCount, 1024));
            long expected = logBegin;
            for (int r = 0; r < rangeCount; r++) {
                final long from = in.readLong();
                final long to = in.readLong();
                final int streamIndex = in.readInt();
                final long offset = in.readLong();
                final int[] checksums = new int[count(in, file)];
                for (int c = 0; c < checksums.length; c++) {
                    checksums[c] = in.readInt();
                }
                if (from > expected
                        || to <= expected
                        || to > logMarker
                        || streamIndex < 0
                        || streamIndex >= handle.streams().size()
                        || offset < 0) {
                    throw new CorruptCheckpointException(
                            "offheap snapshot log range",
                            file,
                            0,
                            "contiguous ranges covering [" + logBegin + ", " + logMarker + ")",
                            "range [" + from + ", " + to + ") at " + expected + ", stream " + streamIndex);
                }
                expected = to;
                ranges.add(new RangeEntry(from, to, streamIndex, offset, checksums));
            }
            if (expected != logMarker && !(ranges.isEmpty() && logMarker <= logBegin)) {
                throw new CorruptCheckpointException("offheap snapshot log ranges end", file, 0, logMarker, expected);
            }
            if (in.available() != 0) {
                throw new CorruptCheckpointException(
                        "offheap snapshot payload has trailing bytes", file, bytes.length, 0, in.available());
            }
            return new Payload(pageSize, maxParallelism, keySerializer, states, tables, logBegin, logMarker, ranges);
        } catch (IOException | SerializationException ex) {
            throw new CorruptCheckpointException(
                    "offheap snapshot payload unreadable", file, 0, "valid payload", ex.toString());
        }
    }

    private static TableEntry readTable(DataInputStream in, String file, KeyedStateHandle handle, int stateCount)
            throws IOException {
        final int stateIndex = in.readInt();
        final int keyGroup = in.readInt();
        final byte layout = in.readByte();
        final int keyLength = in.readInt();
        final int namespaceLength = in.readInt();
        final int valueLength = in.readInt();
        final int logicalCount = count(in, file);
        final int pageCount = count(in, file);
        final List<PageEntry> pages = new ArrayList<>(Math.min(pageCount, 4096));
        for (int p = 0; p < pageCount; p++) {
            pages.add(new PageEntry(in.readInt(), in.readByte(), in.readInt(), in.readLong(), in.readInt()));
        }
        if (stateIndex < 0
                || stateIndex >= stateCount
                || !handle.keyGroupRange().contains(keyGroup)) {
            throw new CorruptCheckpointException(
                    "offheap snapshot table outside the handle",
                    file,
                    0,
                    "state and key group in range",
                    "state=" + stateIndex + ", keyGroup=" + keyGroup);
        }
        return new TableEntry(
                stateIndex, keyGroup, layout, keyLength, namespaceLength, valueLength, logicalCount, pages);
    }

    private static int count(DataInputStream in, String file) throws IOException {
        final int count = in.readInt();
        if (count < 0 || count > MAX_COUNT) {
            throw new CorruptCheckpointException(
                    "offheap snapshot count out of range", file, 0, "[0, " + MAX_COUNT + "]", count);
        }
        return count;
    }

    /** The one stream a task writes per checkpoint: its operator, key-group range and checkpoint. */
    static String streamName(String operatorId, KeyGroupRange range, long checkpointId) {
        return "offheap-" + operatorId + "-kg" + range.startKeyGroup() + "-" + range.endKeyGroup() + "-chk"
                + checkpointId;
    }
}

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
 * The {@value #FORMAT_NAME} keyed snapshot format: raw table pages in shared streams, one stream per task (key-group
 * range) and checkpoint holding the pages that checkpoint wrote, key group after key group, and a payload in the handle that says which page of which table
 * lives where. Big-endian ({@link DataOutputStream}). Specified in {@code docs/spec/offheap-tables.md}.
 *
 * <pre>
 * payload: magic i32 "TMOP" | version i32 | pageSize i32 | maxParallelism i32 | key serializer snapshot
 *          | stateCount i32 | StateMetaInfo x stateCount | tableCount i32 | table x tableCount
 * table:   stateIndex i32 | keyGroup i32 | layout i8 | keyLength i32 | namespaceLength i32 | valueLength i32
 *          | logicalCount i32 | pageCount i32
 *          | page x pageCount
 * page:    logical i32 | kind i8 | streamIndex i32 (into the handle's streams) | offset i64 | crc32c i32
 * stream:  page bytes (pageSize each) at the offsets the payload names; nothing else
 * </pre>
 */
final class NativeSnapshotFormat {
    static final String FORMAT_NAME = "offheap-pages-v1";
    static final int MAGIC = 0x544d4f50;
    /** 2: fused tables (cache-line-aligned slots, any fixed value length, {@code valueLength} per table). */
    static final int VERSION = 2;

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

    record Payload(
            int pageSize,
            int maxParallelism,
            SerializerSnapshot<?> keySerializer,
            List<StateMetaInfo> states,
            List<TableEntry> tables) {}

    static void writeHeader(
            DataOutputStream out,
            int pageSize,
            int maxParallelism,
            SerializerSnapshot<?> keySerializer,
            List<StateMetaInfo> states)
            throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(pageSize);
        out.writeInt(maxParallelism);
        SerializerSnapshots.write(keySerializer, out);
        out.writeInt(states.size());
        for (StateMetaInfo state : states) {
            state.write(out);
        }
    }

    /**
     * Parses a handle's payload.
     *
     * @throws CorruptCheckpointException naming the handle's first stream if the payload does not parse
     */
    static Payload read(KeyedStateHandle handle, ClassLoader classLoader) {
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
            if (version == 1) {
                throw new IncompatibleStateException("offheap checkpoint written by an earlier Tidemark version (page "
                        + "layout 1, before the fused table): file=" + file + ", version=1, supported=" + VERSION
                        + "; native checkpoints are not portable across layout versions, restore from a savepoint");
            }
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
            final List<StateMetaInfo> states = new ArrayList<>(stateCount);
            for (int i = 0; i < stateCount; i++) {
                states.add(StateMetaInfo.read(in, classLoader));
            }
            final int tableCount = count(in, file);
            final List<TableEntry> tables = new ArrayList<>(Math.min(tableCount, 1024));
            for (int t = 0; t < tableCount; t++) {
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
                tables.add(new TableEntry(
                        stateIndex, keyGroup, layout, keyLength, namespaceLength, valueLength, logicalCount, pages));
            }
            if (in.available() != 0) {
                throw new CorruptCheckpointException(
                        "offheap snapshot payload has trailing bytes", file, bytes.length, 0, in.available());
            }
            return new Payload(pageSize, maxParallelism, keySerializer, states, tables);
        } catch (IOException | SerializationException ex) {
            throw new CorruptCheckpointException(
                    "offheap snapshot payload unreadable", file, 0, "valid payload", ex.toString());
        }
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

package io.tidemark.backend.canonical;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.SerializationException;
import io.tidemark.TidemarkException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads canonical keyed snapshot streams. Any structural problem is reported as {@link CorruptCheckpointException}
 * naming the stream and the offset; nothing is allocated from an unchecked length.
 */
public final class CanonicalSnapshotReader {
    /** Receives the entries of the key groups read. */
    public interface EntryVisitor {
        void entry(int stateIndex, int keyGroup, byte[] key, byte[] namespace, byte[] value);
    }

    /** The header of a canonical stream. */
    public record Header(int maxParallelism, SerializerSnapshot<?> keySerializer, List<StateMetaInfo> states) {}

    private CanonicalSnapshotReader() {}

    public static Header readHeader(KeyedStateHandle handle, SnapshotReader reader, ClassLoader classLoader) {
        StreamHandle stream = stream(handle);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(reader.open(stream, 0)))) {
            return readHeader(in, stream, classLoader);
        } catch (IOException e) {
            throw corrupt("canonical snapshot header unreadable", stream, 0, "header", e.toString());
        }
    }

    /** Reads the entries of the key groups of {@code handle} that lie in {@code wanted}. */
    public static void readKeyGroups(
            KeyedStateHandle handle,
            SnapshotReader reader,
            KeyGroupRange wanted,
            int stateCount,
            EntryVisitor visitor) {
        StreamHandle stream = stream(handle);
        KeyGroupRange overlap = handle.keyGroupRange().intersection(wanted);
        if (overlap.isEmpty()) {
            return;
        }
        KeyGroupOffsets offsets;
        try {
            offsets = KeyGroupOffsets.fromBytes(handle.payload(), handle.keyGroupRange());
        } catch (SerializationException e) {
            throw corrupt("canonical handle payload invalid", stream, 0, "key-group offsets", e.getMessage());
        }
        long start = offsets.offsetOf(overlap.startKeyGroup());
        if (start < 0 || start > stream.length()) {
            throw corrupt("key-group offset outside stream", stream, start, "<= " + stream.length(), start);
        }
        long position = start;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(reader.open(stream, start), 1 << 16))) {
            for (int keyGroup = overlap.startKeyGroup(); keyGroup <= overlap.endKeyGroup(); keyGroup++) {
                long expectedOffset = offsets.offsetOf(keyGroup);
                if (expectedOffset != position) {
                    throw corrupt("key-group offset mismatch", stream, position, expectedOffset, position);
                }
                int found = in.readInt();
                position += 4;
                if (found != keyGroup) {
                    throw corrupt("unexpected key group", stream, position - 4, keyGroup, found);
                }
                while (true) {
                    int stateIndex = in.readInt();
                    position += 4;
                    if (stateIndex == CanonicalFormat.END_OF_KEY_GROUP) {
                        break;
                    }
                    if (stateIndex < 0 || stateIndex >= stateCount) {
                        throw corrupt(
                                "state index out of range",
                                stream,
                                position - 4,
                                "[0, " + stateCount + ")",
                                stateIndex);
                    }
                    byte[] key = readPart(in, stream, position);
                    position += 4 + key.length;
                    byte[] namespace = readPart(in, stream, position);
                    position += 4 + namespace.length;
                    byte[] value = readPart(in, stream, position);
                    position += 4 + value.length;
                    visitor.entry(stateIndex, keyGroup, key, namespace, value);
                }
            }
        } catch (EOFException e) {
            throw corrupt("canonical snapshot truncated", stream, position, "more bytes", "end of stream");
        } catch (IOException e) {
            throw corrupt("canonical snapshot unreadable", stream, position, "readable stream", e.toString());
        }
    }

    private static Header readHeader(DataInputStream in, StreamHandle stream, ClassLoader classLoader)
            throws IOException {
        int magic = in.readInt();
        if (magic != CanonicalFormat.MAGIC) {
            throw corrupt(
                    "not a canonical keyed snapshot",
                    stream,
                    0,
                    Integer.toHexString(CanonicalFormat.MAGIC),
                    Integer.toHexString(magic));
        }
        int version = in.readInt();
        if (version != CanonicalFormat.VERSION) {
            throw corrupt("canonical snapshot version not supported", stream, 4, CanonicalFormat.VERSION, version);
        }
        int maxParallelism = in.readInt();
        try {
            SerializerSnapshot<?> keySerializer = SerializerSnapshots.read(in, classLoader);
            int count = in.readInt();
            if (count < 0 || count > 1 << 16) {
                throw corrupt("state count out of range", stream, 12, "[0, 65536]", count);
            }
            List<StateMetaInfo> states = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                states.add(StateMetaInfo.read(in, classLoader));
            }
            return new Header(maxParallelism, keySerializer, states);
        } catch (SerializationException e) {
            throw corrupt(
                    "canonical snapshot header invalid", stream, 12, "valid serializer snapshots", e.getMessage());
        }
    }

    private static byte[] readPart(DataInputStream in, StreamHandle stream, long position) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > CanonicalFormat.MAX_ENTRY_PART || length > stream.length() - position) {
            throw corrupt(
                    "entry length out of range", stream, position, "[0, " + (stream.length() - position) + "]", length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static StreamHandle stream(KeyedStateHandle handle) {
        if (!CanonicalFormat.FORMAT_NAME.equals(handle.format())
                || handle.streams().size() != 1) {
            throw new TidemarkException("not a canonical keyed state handle: format=" + handle.format() + ", streams="
                    + handle.streams().size());
        }
        return handle.streams().get(0);
    }

    private static CorruptCheckpointException corrupt(
            String what, StreamHandle stream, long offset, Object expected, Object actual) {
        return new CorruptCheckpointException(what, stream.name(), offset, expected, actual);
    }
}

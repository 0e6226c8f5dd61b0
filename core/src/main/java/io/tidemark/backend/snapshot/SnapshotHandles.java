package io.tidemark.backend.snapshot;

import io.tidemark.SerializationException;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of snapshot handles, for checkpoint metadata. The caller checksums what it writes; this codec only
 * validates counts and lengths so that bad bytes fail with {@link SerializationException} instead of allocating wildly.
 */
public final class SnapshotHandles {
    private static final int VERSION = 1;
    private static final int MAX_STREAMS = 1 << 20;
    private static final int MAX_PAYLOAD = 1 << 28;

    private SnapshotHandles() {}

    public static void writeKeyed(KeyedStateHandle handle, DataOutput out) throws IOException {
        out.writeByte(VERSION);
        out.writeUTF(handle.format());
        out.writeInt(handle.keyGroupRange().startKeyGroup());
        out.writeInt(handle.keyGroupRange().endKeyGroup());
        out.writeInt(handle.streams().size());
        for (StreamHandle stream : handle.streams()) {
            writeStream(stream, out);
        }
        byte[] payload = handle.payload();
        out.writeInt(payload.length);
        out.write(payload);
    }

    public static KeyedStateHandle readKeyed(DataInput in) throws IOException {
        checkVersion(in.readByte());
        String format = in.readUTF();
        int start = in.readInt();
        int end = in.readInt();
        if (start < 0 || end < start - 1) {
            throw new SerializationException(
                    "keyed state handle has an invalid key-group range: start=" + start + ", end=" + end);
        }
        int count = checkCount("stream count", in.readInt(), MAX_STREAMS);
        List<StreamHandle> streams = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            streams.add(readStream(in));
        }
        byte[] payload = new byte[checkCount("payload length", in.readInt(), MAX_PAYLOAD)];
        in.readFully(payload);
        return new KeyedStateHandle(format, KeyGroupRange.of(start, end), streams, payload);
    }

    public static void writeOperator(OperatorStateHandle handle, DataOutput out) throws IOException {
        out.writeByte(VERSION);
        writeStream(handle.stream(), out);
    }

    public static OperatorStateHandle readOperator(DataInput in) throws IOException {
        checkVersion(in.readByte());
        return new OperatorStateHandle(readStream(in));
    }

    public static void writeStream(StreamHandle stream, DataOutput out) throws IOException {
        out.writeUTF(stream.name());
        out.writeLong(stream.length());
        out.writeBoolean(stream.shared());
    }

    public static StreamHandle readStream(DataInput in) throws IOException {
        String name = in.readUTF();
        long length = in.readLong();
        boolean shared = in.readBoolean();
        if (name.isEmpty() || length < 0) {
            throw new SerializationException("invalid stream handle: name=" + name + ", length=" + length);
        }
        return new StreamHandle(name, length, shared);
    }

    private static void checkVersion(int version) {
        if (version != VERSION) {
            throw new SerializationException(
                    "snapshot handle version not supported: version=" + version + ", supported=" + VERSION);
        }
    }

    private static int checkCount(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new SerializationException(
                    "snapshot handle " + what + " out of range: value=" + value + ", max=" + max);
        }
        return value;
    }
}

package io.tidemark.flink;

import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The meta stream of an incremental checkpoint (big-endian):
 *
 * <pre>
 * magic i32 "TMFI" | version i32
 * | Flink's KeyedBackendSerializationProxy (key serializer snapshot, state meta infos: keyed states, then timer queues)
 * | per timer queue, in meta-info order: count i32 | element x count (the queue's element serializer)
 * | store handle: format UTF | firstKeyGroup i32 | lastKeyGroup i32 | streamCount i32
 *                 | (name UTF | length i64 | shared bool) x streamCount | payloadLength i32 | payload
 * </pre>
 *
 * Stream names are the local paths of the checkpoint handle's shared (and private) state.
 */
final class IncrementalMeta {
    static final int MAGIC = 0x544d4649;
    static final int VERSION = 1;
    private static final int MAX_STREAMS = 1 << 20;

    private IncrementalMeta() {}

    static void writeStoreHandle(DataOutputView out, KeyedStateHandle handle) throws IOException {
        out.writeUTF(handle.format());
        out.writeInt(handle.keyGroupRange().startKeyGroup());
        out.writeInt(handle.keyGroupRange().endKeyGroup());
        out.writeInt(handle.streams().size());
        for (StreamHandle stream : handle.streams()) {
            out.writeUTF(stream.name());
            out.writeLong(stream.length());
            out.writeBoolean(stream.shared());
        }
        byte[] payload = handle.payload();
        out.writeInt(payload.length);
        out.write(payload);
    }

    /** @throws IOException naming what is out of range when the stream is not a store handle */
    static KeyedStateHandle readStoreHandle(DataInputView in) throws IOException {
        String format = in.readUTF();
        int first = in.readInt();
        int last = in.readInt();
        int count = in.readInt();
        if (count < 0 || count > MAX_STREAMS) {
            throw new IOException("incremental meta stream: stream count out of range: " + count);
        }
        List<StreamHandle> streams = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            streams.add(new StreamHandle(in.readUTF(), in.readLong(), in.readBoolean()));
        }
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("incremental meta stream: payload length out of range: " + length);
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        KeyGroupRange range = last < first ? KeyGroupRange.EMPTY : KeyGroupRange.of(first, last);
        return new KeyedStateHandle(format, range, streams, payload);
    }

    /** Checks the stream's header. */
    static void readHeader(DataInputView in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a Tidemark incremental meta stream: magic=" + Integer.toHexString(magic)
                    + ", expected=" + Integer.toHexString(MAGIC));
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("Tidemark incremental meta stream version not supported: version=" + version
                    + ", supported=" + VERSION);
        }
    }
}

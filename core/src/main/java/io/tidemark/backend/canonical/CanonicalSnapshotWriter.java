package io.tidemark.backend.canonical;

import io.tidemark.StorageIOException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.SerializerSnapshots;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * Writes one canonical keyed snapshot stream (see {@link CanonicalFormat}). Used by one snapshot thread. Call
 * {@link #beginKeyGroup} for every key group of the range in ascending order, then {@link #finish()}; on any failure
 * call {@link #abort()}.
 */
public final class CanonicalSnapshotWriter {
    private final SnapshotOutput output;
    private final DataOutputStream out;
    private final KeyGroupRange range;
    private final long[] offsets;
    private int nextKeyGroup;
    private boolean inKeyGroup;

    public CanonicalSnapshotWriter(
            SnapshotOutput output,
            KeyGroupRange range,
            int maxParallelism,
            SerializerSnapshot<?> keySerializer,
            List<StateMetaInfo> states) {
        this.output = output;
        this.out = new DataOutputStream(new BufferedOutputStream(output, 1 << 16));
        this.range = range;
        this.offsets = new long[range.size()];
        this.nextKeyGroup = range.startKeyGroup();
        try {
            out.writeInt(CanonicalFormat.MAGIC);
            out.writeInt(CanonicalFormat.VERSION);
            out.writeInt(maxParallelism);
            SerializerSnapshots.write(keySerializer, out);
            out.writeInt(states.size());
            for (StateMetaInfo state : states) {
                state.write(out);
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    public void beginKeyGroup(int keyGroup) {
        if (keyGroup != nextKeyGroup || inKeyGroup) {
            throw new IllegalStateException("key groups out of order: got=" + keyGroup + ", expected=" + nextKeyGroup);
        }
        try {
            out.flush();
            offsets[keyGroup - range.startKeyGroup()] = output.position();
            out.writeInt(keyGroup);
        } catch (IOException e) {
            throw failure(e);
        }
        inKeyGroup = true;
        nextKeyGroup++;
    }

    /** Writes one entry; each part is {@code length} bytes of {@code buffer} at {@code offset}. */
    public void writeEntry(
            int stateIndex,
            DirectBuffer key,
            int keyLength,
            DirectBuffer namespace,
            int namespaceLength,
            DirectBuffer value,
            int valueLength) {
        try {
            out.writeInt(stateIndex);
            writePart(key, keyLength);
            writePart(namespace, namespaceLength);
            writePart(value, valueLength);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Writes one entry from byte arrays (restored entries carried over unchanged). */
    public void writeEntry(int stateIndex, byte[] key, byte[] namespace, byte[] value) {
        try {
            out.writeInt(stateIndex);
            out.writeInt(key.length);
            out.write(key);
            out.writeInt(namespace.length);
            out.write(namespace);
            out.writeInt(value.length);
            out.write(value);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private void writePart(DirectBuffer buffer, int length) throws IOException {
        out.writeInt(length);
        byte[] array = buffer.byteArray();
        if (array != null) {
            out.write(array, buffer.wrapAdjustment(), length);
        } else {
            byte[] copy = new byte[length];
            buffer.getBytes(0, copy);
            out.write(copy);
        }
    }

    public void endKeyGroup() {
        try {
            out.writeInt(CanonicalFormat.END_OF_KEY_GROUP);
        } catch (IOException e) {
            throw failure(e);
        }
        inKeyGroup = false;
    }

    /** Makes the stream durable and returns its handle. */
    public KeyedStateHandle finish() {
        if (nextKeyGroup != range.endKeyGroup() + 1 || inKeyGroup) {
            throw new IllegalStateException(
                    "canonical snapshot incomplete: nextKeyGroup=" + nextKeyGroup + ", range=" + range);
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw failure(e);
        }
        StreamHandle stream = output.closeAndGetHandle();
        return new KeyedStateHandle(
                CanonicalFormat.FORMAT_NAME, range, List.of(stream), new KeyGroupOffsets(range, offsets).toBytes());
    }

    public void abort() {
        output.abort();
    }

    private RuntimeException failure(IOException e) {
        output.abort();
        if (e.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        return new StorageIOException("writing canonical snapshot failed: range=" + range, e);
    }
}

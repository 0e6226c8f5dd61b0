package io.tidemark.flink;

import io.tidemark.SerializationException;
import io.tidemark.serialization.SchemaCompatibility;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.StateSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Tidemark's view of a Flink key serializer: the store keeps Flink's own serialized key bytes, and the key object keeps
 * its own {@code hashCode()}, so the store files each key in the key group Flink assigns it.
 *
 * <p>Not thread-safe (scratch buffers): the keyed backend's operator thread only; {@link #duplicate()} gives another.
 */
final class FlinkKeySerializer<K> implements StateSerializer<K> {
    private final TypeSerializer<K> serializer;
    private final DataOutputSerializer out = new DataOutputSerializer(64);
    private final DataInputDeserializer in = new DataInputDeserializer();

    FlinkKeySerializer(TypeSerializer<K> serializer) {
        this.serializer = serializer;
    }

    @Override
    public int fixedLength() {
        return VARIABLE_LENGTH;
    }

    @Override
    public int write(K value, MutableDirectBuffer buffer, int offset) {
        out.clear();
        try {
            serializer.serialize(value, out);
        } catch (IOException e) {
            throw new SerializationException("Flink key serializer failed: serializer=" + serializer, e);
        }
        buffer.putBytes(offset, out.getSharedBuffer(), 0, out.length());
        return out.length();
    }

    @Override
    public K read(DirectBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        in.setBuffer(bytes);
        try {
            return serializer.deserialize(in);
        } catch (IOException e) {
            throw new SerializationException(
                    "Flink key serializer cannot read " + length + " bytes: serializer=" + serializer, e);
        }
    }

    @Override
    public SerializerSnapshot<K> snapshot() {
        return new Snapshot<>();
    }

    @Override
    public boolean isStateless() {
        return false;
    }

    @Override
    public StateSerializer<K> duplicate() {
        return new FlinkKeySerializer<>(serializer.duplicate());
    }

    @Override
    public K copy(K value) {
        return serializer.copy(value);
    }

    @Override
    public String toString() {
        return "FlinkKeySerializer[" + serializer + "]";
    }

    /**
     * Stands in the store's own snapshots, which the Flink backend only reads back in the same process (to walk its
     * entries): Flink's {@code TypeSerializerSnapshot} of the key is what Flink's checkpoints carry and check.
     */
    public static final class Snapshot<K> implements SerializerSnapshot<K> {
        /** For {@code SerializerSnapshots.read}. */
        public Snapshot() {}

        @Override
        public int currentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput output) {}

        @Override
        public void readSnapshot(int readVersion, DataInput input, ClassLoader classLoader) {}

        @Override
        public StateSerializer<K> restoreSerializer() {
            throw new UnsupportedOperationException(
                    "a Flink key serializer is restored from Flink's checkpoint meta data, not from the store's");
        }

        @Override
        public SchemaCompatibility resolveCompatibility(StateSerializer<K> newSerializer) {
            return newSerializer instanceof FlinkKeySerializer
                    ? SchemaCompatibility.compatibleAsIs()
                    : SchemaCompatibility.incompatible("not a Flink key serializer: " + newSerializer);
        }

        @Override
        public String describe() {
            return "Flink key (Flink's meta data holds its serializer snapshot)";
        }
    }
}

package io.tidemark.serialization;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes {@code byte[]} values as the raw bytes, with no length prefix: the length is the {@code length} given to
 * {@link #read} (composites that embed a byte array prefix it themselves).
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}. {@link #write} does not allocate; {@link #read} allocates the
 * returned array. Arrays are mutable, so {@link #copy} clones.
 */
public final class BytesSerializer implements StateSerializer<byte[]> {
    public static final BytesSerializer INSTANCE = new BytesSerializer();

    private BytesSerializer() {}

    @Override
    public int fixedLength() {
        return VARIABLE_LENGTH;
    }

    @Override
    public int write(byte[] value, MutableDirectBuffer buffer, int offset) {
        buffer.putBytes(offset, value);
        return value.length;
    }

    @Override
    public byte[] read(DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkRegion("bytes", buffer, offset, length);
        byte[] value = new byte[length];
        buffer.getBytes(offset, value);
        return value;
    }

    @Override
    public byte[] copy(byte[] value) {
        return value.clone();
    }

    @Override
    public SerializerSnapshot<byte[]> snapshot() {
        return new ScalarSnapshot<>(ScalarSnapshot.Kind.BYTES);
    }

    @Override
    public String toString() {
        return "BytesSerializer";
    }
}

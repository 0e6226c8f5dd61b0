package io.tidemark.serialization;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes {@code int} values as 4 bytes, little-endian.
 *
 * <pre>
 * 0                               4
 * +-------------------------------+
 * | value (int, little-endian)     |
 * +-------------------------------+
 * </pre>
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}. {@link #write} does not allocate; {@link #read} boxes.
 */
public final class IntSerializer implements StateSerializer<Integer> {
    public static final IntSerializer INSTANCE = new IntSerializer();
    public static final int LENGTH = 4;

    private IntSerializer() {}

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public int write(Integer value, MutableDirectBuffer buffer, int offset) {
        buffer.putInt(offset, value, ByteOrder.LITTLE_ENDIAN);
        return LENGTH;
    }

    @Override
    public Integer read(DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkFixed("int", buffer, offset, length, LENGTH);
        return buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public SerializerSnapshot<Integer> snapshot() {
        return new ScalarSnapshot<>(ScalarSnapshot.Kind.INT);
    }

    @Override
    public String toString() {
        return "IntSerializer";
    }
}

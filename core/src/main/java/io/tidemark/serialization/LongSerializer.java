package io.tidemark.serialization;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes {@code long} values as 8 bytes, little-endian.
 *
 * <pre>
 * 0                               8
 * +-------------------------------+
 * | value (long, little-endian)     |
 * +-------------------------------+
 * </pre>
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}. {@link #write} does not allocate; {@link #read} boxes.
 */
public final class LongSerializer implements StateSerializer<Long> {
    public static final LongSerializer INSTANCE = new LongSerializer();
    public static final int LENGTH = 8;

    private LongSerializer() {}

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public int write(Long value, MutableDirectBuffer buffer, int offset) {
        buffer.putLong(offset, value, ByteOrder.LITTLE_ENDIAN);
        return LENGTH;
    }

    @Override
    public Long read(DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkFixed("long", buffer, offset, length, LENGTH);
        return buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public SerializerSnapshot<Long> snapshot() {
        return new ScalarSnapshot<>(ScalarSnapshot.Kind.LONG);
    }

    @Override
    public String toString() {
        return "LongSerializer";
    }
}

package io.tidemark.serialization;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes {@code double} values as 8 bytes, little-endian.
 *
 * <pre>
 * 0                               8
 * +-------------------------------+
 * | value (double, little-endian)     |
 * +-------------------------------+
 * </pre>
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}. {@link #write} does not allocate; {@link #read} boxes.
 */
public final class DoubleSerializer implements StateSerializer<Double> {
    public static final DoubleSerializer INSTANCE = new DoubleSerializer();
    public static final int LENGTH = 8;

    private DoubleSerializer() {}

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public int write(Double value, MutableDirectBuffer buffer, int offset) {
        buffer.putDouble(offset, value, ByteOrder.LITTLE_ENDIAN);
        return LENGTH;
    }

    @Override
    public Double read(DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkFixed("double", buffer, offset, length, LENGTH);
        return buffer.getDouble(offset, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public SerializerSnapshot<Double> snapshot() {
        return new ScalarSnapshot<>(ScalarSnapshot.Kind.DOUBLE);
    }

    @Override
    public String toString() {
        return "DoubleSerializer";
    }
}

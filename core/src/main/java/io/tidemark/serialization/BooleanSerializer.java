package io.tidemark.serialization;

import io.tidemark.SerializationException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes {@code boolean} values as one byte: {@code 0} is false, {@code 1} is true, any other byte is corrupt.
 * A single byte has no byte order.
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}. Neither {@link #write} nor {@link #read} allocates.
 */
public final class BooleanSerializer implements StateSerializer<Boolean> {
    public static final BooleanSerializer INSTANCE = new BooleanSerializer();
    public static final int LENGTH = 1;

    private static final byte FALSE = 0;
    private static final byte TRUE = 1;

    private BooleanSerializer() {}

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public int write(Boolean value, MutableDirectBuffer buffer, int offset) {
        buffer.putByte(offset, value ? TRUE : FALSE);
        return LENGTH;
    }

    @Override
    public Boolean read(DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkFixed("boolean", buffer, offset, length, LENGTH);
        byte b = buffer.getByte(offset);
        if (b == FALSE) {
            return Boolean.FALSE;
        }
        if (b == TRUE) {
            return Boolean.TRUE;
        }
        throw new SerializationException("boolean: invalid byte: value=" + b + ", expected=0 or 1");
    }

    @Override
    public SerializerSnapshot<Boolean> snapshot() {
        return new ScalarSnapshot<>(ScalarSnapshot.Kind.BOOLEAN);
    }

    @Override
    public String toString() {
        return "BooleanSerializer";
    }
}

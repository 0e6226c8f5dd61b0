package io.tidemark.serialization;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * How composites embed nested values: a fixed-length value is written bare, a variable-length one behind a 4-byte
 * little-endian length prefix.
 *
 * <pre>
 * fixed:    | value (fixedLength bytes) |
 * variable: | length: int32 LE | value (length bytes) |
 * </pre>
 */
final class Framing {
    static final int LENGTH_PREFIX = Integer.BYTES;
    static final int COUNT_LENGTH = Integer.BYTES;

    private Framing() {}

    /** Writes {@code value} framed at {@code position}; returns the position after it. */
    static <T> int writeElement(StateSerializer<T> serializer, T value, MutableDirectBuffer buffer, int position) {
        int fixed = serializer.fixedLength();
        if (fixed != StateSerializer.VARIABLE_LENGTH) {
            int written = serializer.write(value, buffer, position);
            if (written != fixed) {
                throw new IllegalStateException("serializer wrote other than its fixed length: serializer=" + serializer
                        + ", fixedLength=" + fixed + ", written=" + written);
            }
            return position + fixed;
        }
        int written = serializer.write(value, buffer, position + LENGTH_PREFIX);
        buffer.putInt(position, written, ByteOrder.LITTLE_ENDIAN);
        return position + LENGTH_PREFIX + written;
    }

    static int writeCount(int count, MutableDirectBuffer buffer, int position) {
        buffer.putInt(position, count, ByteOrder.LITTLE_ENDIAN);
        return position + COUNT_LENGTH;
    }

    /** The fewest bytes one framed element of {@code serializer} can take, to bound counts read from bytes. */
    static int minFramedLength(StateSerializer<?> serializer) {
        int fixed = serializer.fixedLength();
        return fixed == StateSerializer.VARIABLE_LENGTH ? LENGTH_PREFIX : Math.max(1, fixed);
    }
}

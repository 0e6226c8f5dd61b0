package io.tidemark.serialization;

import io.tidemark.SerializationException;
import org.agrona.DirectBuffer;

/**
 * Validation every built-in {@code read} performs before it touches or allocates anything, so that arbitrary bytes
 * end in a {@link SerializationException} rather than an {@code IndexOutOfBoundsException} or a huge allocation.
 */
final class ReadChecks {
    private ReadChecks() {}

    /** The region {@code [offset, offset + length)} must lie inside the buffer. */
    static void checkRegion(String serializer, DirectBuffer buffer, int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > buffer.capacity()) {
            throw new SerializationException(serializer + ": region outside buffer: offset=" + offset + ", length="
                    + length + ", capacity=" + buffer.capacity());
        }
    }

    /** A fixed-size value must be read from exactly its size. */
    static void checkFixed(String serializer, DirectBuffer buffer, int offset, int length, int expected) {
        if (length != expected) {
            throw new SerializationException(
                    serializer + ": wrong length: length=" + length + ", expected=" + expected);
        }
        checkRegion(serializer, buffer, offset, length);
    }
}

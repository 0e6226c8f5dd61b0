package io.tidemark.serialization;

import io.tidemark.SerializationException;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * A bounds-checked read position inside {@code [offset, offset + length)} of a buffer, used by the composite
 * serializers. Every read checks the remaining length first and fails with a {@link SerializationException} naming the
 * serializer. One instance per {@code read} call; not thread-safe.
 */
final class ReadCursor {
    private final String owner;
    private final DirectBuffer buffer;
    private final int end;
    private int position;

    ReadCursor(String owner, DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkRegion(owner, buffer, offset, length);
        this.owner = owner;
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
    }

    int remaining() {
        return end - position;
    }

    byte readByte() {
        require(Byte.BYTES, "byte");
        return buffer.getByte(position++);
    }

    /** Reads an element count and checks that {@code count} elements of at least {@code minElementLength} fit. */
    int readCount(int minElementLength) {
        require(Framing.COUNT_LENGTH, "count");
        int count = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN);
        position += Framing.COUNT_LENGTH;
        if (count < 0 || (long) count * minElementLength > remaining()) {
            throw new SerializationException(owner + ": invalid element count: count=" + count + ", remaining="
                    + remaining() + ", minElementLength=" + minElementLength);
        }
        return count;
    }

    /** Reads one element framed by {@link Framing#writeElement}. */
    <T> T readElement(StateSerializer<T> serializer) {
        return readElement(serializer, serializer.fixedLength());
    }

    /** Reads one element framed for {@code fixedLength} (which may differ from the reader's, for an old layout). */
    <T> T readElement(StateSerializer<T> serializer, int fixedLength) {
        int length = elementLength(fixedLength);
        T value = serializer.read(buffer, position, length);
        position += length;
        return value;
    }

    /** Skips one element framed by {@link Framing#writeElement} for a serializer of the given fixed length. */
    void skipElement(int fixedLength) {
        // Not "position += elementLength(...)": that would add to the position read before the prefix was consumed.
        int length = elementLength(fixedLength);
        position += length;
    }

    void checkFullyConsumed() {
        if (position != end) {
            throw new SerializationException(owner + ": trailing bytes after value: trailing=" + remaining());
        }
    }

    private int elementLength(int fixedLength) {
        int length = fixedLength;
        if (fixedLength == StateSerializer.VARIABLE_LENGTH) {
            require(Framing.LENGTH_PREFIX, "length prefix");
            length = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN);
            position += Framing.LENGTH_PREFIX;
        }
        if (length < 0) {
            throw new SerializationException(owner + ": negative element length: length=" + length);
        }
        require(length, "element");
        return length;
    }

    private void require(int bytes, String what) {
        if (bytes > remaining()) {
            throw new SerializationException(owner + ": truncated " + what + ": needed=" + bytes + ", remaining="
                    + remaining() + ", position=" + position);
        }
    }
}

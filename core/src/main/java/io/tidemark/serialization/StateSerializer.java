package io.tidemark.serialization;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes values of {@code T} to and reads them from Agrona buffers at an offset. Byte order is explicit: every
 * built-in writes little-endian.
 *
 * <p>Threading: a serializer may keep scratch state; use one instance per thread unless {@link #isStateless()}
 * says otherwise ({@link #duplicate()} gives another instance). Primitive and fixed-size serializers allocate nothing
 * in {@link #write}; {@link #read} allocates the returned object unless {@code T} is a primitive wrapper cached by the
 * JDK.
 *
 * @param <T> the type of values
 */
public interface StateSerializer<T> {
    /** Marker returned by {@link #fixedLength()} for variable-length types. */
    int VARIABLE_LENGTH = -1;

    /** The number of bytes every value takes, or {@link #VARIABLE_LENGTH}. */
    int fixedLength();

    /**
     * Writes {@code value} at {@code offset} and returns the number of bytes written. The buffer must have room, or be
     * expandable (e.g. {@link org.agrona.ExpandableDirectByteBuffer}).
     *
     * @throws io.tidemark.StateSizeException if the value cannot be encoded (e.g. longer than the format allows)
     */
    int write(T value, MutableDirectBuffer buffer, int offset);

    /**
     * Reads a value written by {@link #write} that occupies exactly {@code length} bytes at {@code offset}.
     *
     * @throws io.tidemark.SerializationException if the bytes do not decode
     */
    T read(DirectBuffer buffer, int offset, int length);

    /** A versioned, persistable description of this serializer's format, stored with every snapshot. */
    SerializerSnapshot<T> snapshot();

    /** True when one instance may be shared by threads. */
    default boolean isStateless() {
        return true;
    }

    /** An instance safe to use from another thread; {@code this} when stateless. */
    default StateSerializer<T> duplicate() {
        return this;
    }

    /** Deep copy through the serialized form; serializers of immutable types return the value itself. */
    default T copy(T value) {
        return value;
    }
}

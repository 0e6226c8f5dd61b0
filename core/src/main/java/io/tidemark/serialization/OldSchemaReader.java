package io.tidemark.serialization;

import org.agrona.MutableDirectBuffer;

/**
 * Base of the serializers a {@link SerializerSnapshot#restoreSerializer()} returns when the format changed: they read
 * bytes written under the old schema and produce values of the current type. They never write; migrated state is
 * written with the current serializer.
 *
 * @param <T> the current type of values
 */
abstract class OldSchemaReader<T> implements StateSerializer<T> {
    private final SerializerSnapshot<T> oldSnapshot;

    OldSchemaReader(SerializerSnapshot<T> oldSnapshot) {
        this.oldSnapshot = oldSnapshot;
    }

    @Override
    public final int write(T value, MutableDirectBuffer buffer, int offset) {
        throw new UnsupportedOperationException("a restore serializer only reads state written under an old schema; "
                + "write with the current serializer: old=" + oldSnapshot.describe());
    }

    @Override
    public final SerializerSnapshot<T> snapshot() {
        return oldSnapshot;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + oldSnapshot.describe() + "]";
    }
}

package io.tidemark.serialization;

import io.tidemark.SerializationException;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * Reads ordinals written under an old enum definition and maps each to the current constant of the same name.
 *
 * @param <E> the current enum type
 */
final class OldEnumReader<E extends Enum<E>> extends OldSchemaReader<E> {
    private final E[] byStoredOrdinal;

    OldEnumReader(EnumSnapshot<E> oldSnapshot, E[] byStoredOrdinal) {
        super(oldSnapshot);
        this.byStoredOrdinal = byStoredOrdinal;
    }

    @Override
    public int fixedLength() {
        return EnumSerializer.LENGTH;
    }

    @Override
    public E read(DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkFixed("old enum", buffer, offset, length, EnumSerializer.LENGTH);
        int ordinal = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        if (ordinal < 0 || ordinal >= byStoredOrdinal.length) {
            throw new SerializationException(
                    "old enum: ordinal out of range: ordinal=" + ordinal + ", constants=" + byStoredOrdinal.length);
        }
        return byStoredOrdinal[ordinal];
    }
}

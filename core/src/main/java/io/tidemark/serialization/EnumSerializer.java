package io.tidemark.serialization;

import io.tidemark.SerializationException;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes enum constants as their ordinal, a 4-byte little-endian int. The snapshot keeps the constant names, so
 * constants may later be added or reordered (the state is migrated by name) but not removed.
 *
 * <pre>
 * 0                        4
 * +------------------------+
 * | ordinal: int32 LE      |
 * +------------------------+
 * </pre>
 *
 * <p>Stateless and thread-safe. Neither {@link #write} nor {@link #read} allocates.
 *
 * @param <E> the enum type
 */
public final class EnumSerializer<E extends Enum<E>> implements StateSerializer<E> {
    public static final int LENGTH = Integer.BYTES;

    private final Class<E> enumClass;
    private final E[] constants;

    public EnumSerializer(Class<E> enumClass) {
        if (!enumClass.isEnum()) {
            throw new SerializationException("not an enum type: type=" + enumClass.getName());
        }
        this.enumClass = enumClass;
        this.constants = enumClass.getEnumConstants();
    }

    public Class<E> enumClass() {
        return enumClass;
    }

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public int write(E value, MutableDirectBuffer buffer, int offset) {
        buffer.putInt(offset, value.ordinal(), ByteOrder.LITTLE_ENDIAN);
        return LENGTH;
    }

    @Override
    public E read(DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkFixed("enum " + enumClass.getName(), buffer, offset, length, LENGTH);
        int ordinal = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        if (ordinal < 0 || ordinal >= constants.length) {
            throw new SerializationException("enum " + enumClass.getName() + ": ordinal out of range: ordinal="
                    + ordinal + ", constants=" + constants.length);
        }
        return constants[ordinal];
    }

    @Override
    public SerializerSnapshot<E> snapshot() {
        return new EnumSnapshot<>(enumClass);
    }

    @Override
    public String toString() {
        return "EnumSerializer[" + enumClass.getName() + "]";
    }
}

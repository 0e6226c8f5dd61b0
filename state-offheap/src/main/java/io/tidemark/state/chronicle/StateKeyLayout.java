package io.tidemark.state.chronicle;

import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.RandomDataInput;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The Chronicle Map key of an entry: the key group first, so a snapshot can group entries without decoding them, then
 * the partition key behind its length, then the namespace, which takes the rest.
 *
 * <pre>
 *   0        2                  6
 *   +--------+------------------+-------------+--------------------+
 *   | keyGrp | keyLength        | key bytes   | namespace bytes    |
 *   | u16 BE | int32 LE         | keyLength   | to the end         |
 *   +--------+------------------+-------------+--------------------+
 * </pre>
 */
final class StateKeyLayout {
    static final int KEY_GROUP_OFFSET = 0;
    static final int KEY_LENGTH_OFFSET = 2;
    static final int KEY_OFFSET = 6;

    private StateKeyLayout() {}

    static void putHeader(MutableDirectBuffer buffer, int keyGroup, int keyLength) {
        buffer.putShort(KEY_GROUP_OFFSET, (short) keyGroup, ByteOrder.BIG_ENDIAN);
        buffer.putInt(KEY_LENGTH_OFFSET, keyLength, ByteOrder.LITTLE_ENDIAN);
    }

    /** The key group of the map key at {@code offset} of Chronicle's memory. */
    static int keyGroup(RandomDataInput bytes, long offset) {
        return (bytes.readUnsignedByte(offset + KEY_GROUP_OFFSET) << 8)
                | bytes.readUnsignedByte(offset + KEY_GROUP_OFFSET + 1);
    }

    static int keyLength(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + KEY_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }
}

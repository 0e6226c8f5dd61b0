package io.tidemark.state.offheap;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Layout of one record of the {@link HybridLog} and accessors on its raw address (native byte order, little-endian on
 * every supported platform). Specified in {@code docs/spec/hybrid-log.md} §3.
 *
 * <pre>
 *  0        4      5      6          8          10          12          14          16              20
 *  +--------+------+------+----------+----------+-----------+-----------+-----------+---------------+
 *  | length |flags | 0    | stateId  | keyGroup | keyLength | nsLength  | ukLength  | valueLength   |
 *  | u32    | u8   | u8   | u16      | u16      | u16       | u16       | u16       | u32           |
 *  +--------+------+------+----------+----------+-----------+-----------+-----------+---------------+
 *  20 (only with LINK)         28 / 20
 *  +---------------------------+-------+-----------+----------+---------------------+-------------+
 *  | link: u64 log address     |  key  | namespace | user key | value               | zeros to 8  |
 *  +---------------------------+-------+-----------+----------+---------------------+-------------+
 * </pre>
 *
 * {@code length} is the record's capacity (multiple of 8, header and padding included). Pure static accessors; no
 * allocation. Owner thread for writes; readers only touch records below a checkpoint marker.
 */
final class LogRecord {
    static final int LENGTH_OFFSET = 0;
    static final int FLAGS_OFFSET = 4;
    static final int RESERVED_OFFSET = 5;
    static final int STATE_OFFSET = 6;
    static final int KEY_GROUP_OFFSET = 8;
    static final int KEY_LENGTH_OFFSET = 10;
    static final int NAMESPACE_LENGTH_OFFSET = 12;
    static final int USER_KEY_LENGTH_OFFSET = 14;
    static final int VALUE_LENGTH_OFFSET = 16;
    static final int HEADER = 20;
    static final int LINK_OFFSET = 20;
    static final int LINKED_HEADER = 28;

    static final int TOMBSTONE = 1;
    static final int MAP_ENTRY = 1 << 1;
    static final int LIST_CHUNK = 1 << 2;
    static final int TTL = 1 << 3;
    static final int MAP_CLEAR = 1 << 4;
    static final int FILLER = 1 << 5;
    static final int LINK = 1 << 6;
    static final int SPANNING = 1 << 7;

    /** The largest key, namespace or user key part (u16 length fields). */
    static final int MAX_PART = 0xFFFF;

    private LogRecord() {}

    static int align8(int n) {
        return (n + 7) & ~7;
    }

    static int headerLength(int flags) {
        return (flags & LINK) != 0 ? LINKED_HEADER : HEADER;
    }

    static int length(long a) {
        return UnsafeApi.getInt(a + LENGTH_OFFSET);
    }

    static int flags(long a) {
        return UnsafeApi.getByte(a + FLAGS_OFFSET) & 0xFF;
    }

    static int stateId(long a) {
        return UnsafeApi.getShort(a + STATE_OFFSET) & 0xFFFF;
    }

    static int keyGroup(long a) {
        return UnsafeApi.getShort(a + KEY_GROUP_OFFSET) & 0xFFFF;
    }

    static int keyLength(long a) {
        return UnsafeApi.getShort(a + KEY_LENGTH_OFFSET) & 0xFFFF;
    }

    static int namespaceLength(long a) {
        return UnsafeApi.getShort(a + NAMESPACE_LENGTH_OFFSET) & 0xFFFF;
    }

    static int userKeyLength(long a) {
        return UnsafeApi.getShort(a + USER_KEY_LENGTH_OFFSET) & 0xFFFF;
    }

    static int valueLength(long a) {
        return UnsafeApi.getInt(a + VALUE_LENGTH_OFFSET);
    }

    static long link(long a) {
        return (flags(a) & LINK) != 0 ? UnsafeApi.getLong(a + LINK_OFFSET) : 0;
    }

    /** Offset of the key from the record start. */
    static int keyOffset(long a) {
        return headerLength(flags(a));
    }

    /** Offset of the value from the record start. */
    static int valueOffset(long a) {
        return keyOffset(a) + keyLength(a) + namespaceLength(a) + userKeyLength(a);
    }

    /** Value bytes an in-place update may use. */
    static int valueCapacity(long a) {
        return length(a) - valueOffset(a);
    }

    /** Writes a header into a buffer at 0 (a record being built before its append). */
    static void writeHeader(
            MutableDirectBuffer r,
            int length,
            int flags,
            int stateId,
            int keyGroup,
            int keyLength,
            int namespaceLength,
            int userKeyLength,
            int valueLength,
            long link) {
        r.putInt(LENGTH_OFFSET, length, ByteOrder.LITTLE_ENDIAN);
        r.putByte(FLAGS_OFFSET, (byte) flags);
        r.putByte(RESERVED_OFFSET, (byte) 0);
        r.putShort(STATE_OFFSET, (short) stateId, ByteOrder.LITTLE_ENDIAN);
        r.putShort(KEY_GROUP_OFFSET, (short) keyGroup, ByteOrder.LITTLE_ENDIAN);
        r.putShort(KEY_LENGTH_OFFSET, (short) keyLength, ByteOrder.LITTLE_ENDIAN);
        r.putShort(NAMESPACE_LENGTH_OFFSET, (short) namespaceLength, ByteOrder.LITTLE_ENDIAN);
        r.putShort(USER_KEY_LENGTH_OFFSET, (short) userKeyLength, ByteOrder.LITTLE_ENDIAN);
        r.putInt(VALUE_LENGTH_OFFSET, valueLength, ByteOrder.LITTLE_ENDIAN);
        if ((flags & LINK) != 0) {
            r.putLong(LINK_OFFSET, link, ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Turns a record into the tombstone form of its kind, in place: length, key parts and link stay. */
    static void tombstone(long a) {
        final int flags = (flags(a) | TOMBSTONE) & ~TTL;
        UnsafeApi.putByte(a + FLAGS_OFFSET, (byte) flags);
        UnsafeApi.putInt(a + VALUE_LENGTH_OFFSET, 0);
    }

    static void setValueLength(long a, int valueLength) {
        UnsafeApi.putInt(a + VALUE_LENGTH_OFFSET, valueLength);
    }

    /** A filler is only 8 bytes of header (length, flags, zeros): the rest of a page may be that short. */
    static void writeFiller(long a, int length) {
        UnsafeApi.putInt(a + LENGTH_OFFSET, length);
        UnsafeApi.putByte(a + FLAGS_OFFSET, (byte) FILLER);
        UnsafeApi.putByte(a + RESERVED_OFFSET, (byte) 0);
        UnsafeApi.putShort(a + STATE_OFFSET, (short) 0);
    }
}

package io.tidemark.state.offheap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/** Byte comparisons between buffers. Pure functions; no allocation. */
final class Bytes {
    private Bytes() {}

    static boolean equal(DirectBuffer a, int aOffset, DirectBuffer b, int bOffset, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (a.getLong(aOffset + i, ByteOrder.LITTLE_ENDIAN) != b.getLong(bOffset + i, ByteOrder.LITTLE_ENDIAN)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i)) {
                return false;
            }
        }
        return true;
    }

    static int align8(int length) {
        return (length + 7) & ~7;
    }
}

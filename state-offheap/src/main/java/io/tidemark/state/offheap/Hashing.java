package io.tidemark.state.offheap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The 64-bit hash of a (key, namespace) pair, computable from the serialized bytes alone so that tables can rehash
 * from their pages. The high 32 bits pick a bucket page, the low 32 bits the home slot inside it. Pure functions; no
 * allocation.
 */
final class Hashing {
    private static final long SEED = 0x9E37_79B9_7F4A_7C15L;

    private Hashing() {}

    /** Murmur3's 64-bit finalizer. */
    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51_afd7_ed55_8ccdL;
        x ^= x >>> 33;
        x *= 0xc4ce_b9fe_1a85_ec53L;
        x ^= x >>> 33;
        return x;
    }

    static long bytes(DirectBuffer buffer, int offset, int length) {
        if (length == 8) {
            return mix(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) ^ SEED);
        }
        long h = SEED ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ mix(buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN)), 29) * SEED;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
        }
        return mix(h ^ mix(tail + length));
    }

    /** Hash of a (key, namespace) pair; an empty namespace leaves the key hash as it is. */
    static long combine(long keyHash, long namespaceHash, int namespaceLength) {
        return namespaceLength == 0 ? keyHash : mix(keyHash + namespaceHash * SEED);
    }

    /** {@code (int) ((hash32 unsigned * n) >>> 32)}: an index in [0, n) without division. */
    static int range(int hash32, int n) {
        return (int) (((hash32 & 0xFFFF_FFFFL) * n) >>> 32);
    }
}

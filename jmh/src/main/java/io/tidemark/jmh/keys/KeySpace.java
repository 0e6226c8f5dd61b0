package io.tidemark.jmh.keys;

/**
 * The keys a benchmark touches: {@code count} distinct longs, addressed by an index in {@code [0, count)}.
 *
 * <p>Index {@code i} maps to {@code i * 0x9E3779B97F4A7C15}: an odd multiplier is a bijection on 64 bits, so keys are
 * distinct and spread over the whole long range instead of being small consecutive numbers that favour some hash
 * functions and key orders.
 */
public record KeySpace(int count) {
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    public KeySpace {
        if (count <= 0) {
            throw new IllegalArgumentException("key count must be positive: keyCount=" + count);
        }
    }

    public long key(int index) {
        return index * SPREAD;
    }
}

package io.tidemark.jmh.keys;

/**
 * The keys a benchmark touches: {@code count} distinct longs, addressed by an index in {@code [0, count)}.
 *
 * <p>Index {@code i} maps to {@code i * 0x9E3779B97F4A7C15}: an odd multiplier is a bijection on 64 bits, so keys are
 * distinct and spread over the whole long range instead of being small consecutive numbers that favour some hash
 * functions and key orders.
 *
 * <p>Every adapter of one benchmark reads its keys from the same arrays, built once here: {@link #boxedKeys()} for the
 * state backends that take key objects (Agrona and Chronicle Map unbox the very same {@code Long}s, so the cache
 * misses on key objects are the same for every backend and ratios compare stores, not harnesses), and
 * {@link #primitiveKeys()} for the primitive-key benchmarks, and {@link #boxedUserKeys(int)} for the map states' user
 * keys. Setup time only: the arrays are created on first use and
 * never change; single threaded, like the benchmark that owns the key space.
 */
public final class KeySpace {
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    private final int count;
    private Long[] boxed;
    private long[] primitive;
    private Long[] userKeys;

    public KeySpace(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("key count must be positive: keyCount=" + count);
        }
        this.count = count;
    }

    public int count() {
        return count;
    }

    public long key(int index) {
        return index * SPREAD;
    }

    /** The key objects, boxed once in index order; the same array on every call. */
    public Long[] boxedKeys() {
        if (boxed == null) {
            Long[] keys = new Long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = key(i);
            }
            boxed = keys;
        }
        return boxed;
    }

    /** The keys as longs, in index order; the same array on every call. */
    public long[] primitiveKeys() {
        if (primitive == null) {
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = key(i);
            }
            primitive = keys;
        }
        return primitive;
    }

    /**
     * The user keys of map state, {@code 0..count-1} boxed once; every map adapter of a fork reads the same objects. The
     * same array on every call with the same {@code count} or less (the array may be longer than asked for).
     */
    public Long[] boxedUserKeys(int count) {
        if (userKeys == null || userKeys.length < count) {
            Long[] keys = new Long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = (long) i;
            }
            userKeys = keys;
        }
        return userKeys;
    }
}

package io.tidemark.jmh.keys;

import java.util.SplittableRandom;

/**
 * A pre-generated, repeating sequence of key indexes, so drawing random numbers is not part of what a benchmark
 * measures. Built once per fork in {@code @Setup}; {@link #next()} is an array read and a mask.
 *
 * <p>Not thread safe: one instance per benchmark thread.
 */
public final class KeySequence {
    /** Zipf exponent, YCSB's default: about 10% of the keys get about 80% of the accesses at 100k keys. */
    public static final double ZIPF_THETA = 0.99;

    private static final int LENGTH = 1 << 20;
    private static final int MASK = LENGTH - 1;
    /** A prime larger than any key count, so {@code rank * SCATTER mod n} is a permutation of {@code [0, n)}. */
    private static final long SCATTER = 2_147_483_647L;

    private final int[] indexes;
    private int cursor;

    private KeySequence(int[] indexes) {
        this.indexes = indexes;
    }

    /**
     * @param distribution {@code uniform} or {@code zipf}; Zipf's hot ranks are scattered over the key space so that
     *     hot keys do not sit next to each other in key order
     */
    public static KeySequence of(String distribution, KeySpace keys, long seed) {
        int n = keys.count();
        int[] indexes = new int[LENGTH];
        switch (distribution) {
            case "uniform" -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < LENGTH; i++) {
                    indexes[i] = random.nextInt(n);
                }
            }
            case "zipf" -> {
                ZipfSampler sampler = new ZipfSampler(Math.max(n, 2), ZIPF_THETA, seed);
                for (int i = 0; i < LENGTH; i++) {
                    indexes[i] = (int) ((sampler.next() * SCATTER) % n);
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "unknown key distribution: keyDistribution=" + distribution + ", allowed=[uniform, zipf]");
        }
        return new KeySequence(indexes);
    }

    public int next() {
        return indexes[cursor++ & MASK];
    }
}

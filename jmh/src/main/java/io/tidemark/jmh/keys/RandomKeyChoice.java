package io.tidemark.jmh.keys;

import java.util.SplittableRandom;

/**
 * Chooses {@code m} distinct key indexes of {@code [0, n)} uniformly at random, again and again: each call of
 * {@link #choose(int)} is a partial Fisher–Yates shuffle of a permutation kept between calls, so the chosen indexes are
 * a uniform random subset, independent of load order and of earlier choices. Allocation-free after construction; the
 * chosen indexes are the first {@code m} entries of {@link #indexes()} until the next call. Single threaded.
 */
public final class RandomKeyChoice {
    private final int[] permutation;
    private final SplittableRandom random;

    public RandomKeyChoice(int keyCount, long seed) {
        permutation = new int[keyCount];
        for (int i = 0; i < keyCount; i++) {
            permutation[i] = i;
        }
        random = new SplittableRandom(seed);
    }

    /** Shuffles a fresh uniform random choice of {@code m} distinct indexes into the front of {@link #indexes()}. */
    public void choose(int m) {
        int n = permutation.length;
        if (m < 0 || m > n) {
            throw new IllegalArgumentException("cannot choose that many keys: m=" + m + ", keyCount=" + n);
        }
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
    }

    /** The permutation; its first {@code m} entries are the last choice of {@code m} indexes. Do not modify. */
    public int[] indexes() {
        return permutation;
    }
}

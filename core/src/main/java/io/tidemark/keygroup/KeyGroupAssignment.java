package io.tidemark.keygroup;

import io.tidemark.ConfigurationException;

/**
 * Key-group math, identical to Apache Flink's so that a key lands in the same key group and operator index as it would
 * there: {@code keyGroup = murmur(key.hashCode()) % maxParallelism}, {@code operatorIndex = keyGroup * parallelism /
 * maxParallelism}. Allocation-free; safe from any thread.
 */
public final class KeyGroupAssignment {
    /** Largest max parallelism: key groups are encoded in 15 bits in Flink and in our page headers alike. */
    public static final int UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

    private KeyGroupAssignment() {}

    /** The key group of {@code key}; {@code key} must have a stable {@code hashCode()}. */
    public static int assignToKeyGroup(Object key, int maxParallelism) {
        return computeKeyGroupForKeyHash(key.hashCode(), maxParallelism);
    }

    public static int computeKeyGroupForKeyHash(int keyHash, int maxParallelism) {
        return murmurHash(keyHash) % maxParallelism;
    }

    /** The operator index that owns {@code keyGroup} at {@code parallelism}. */
    public static int computeOperatorIndexForKeyGroup(int maxParallelism, int parallelism, int keyGroup) {
        return keyGroup * parallelism / maxParallelism;
    }

    /** The key groups owned by {@code operatorIndex}; the ranges of all indexes partition {@code [0, maxP)}. */
    public static KeyGroupRange computeKeyGroupRangeForOperatorIndex(
            int maxParallelism, int parallelism, int operatorIndex) {
        checkParallelism(maxParallelism, parallelism);
        if (operatorIndex < 0 || operatorIndex >= parallelism) {
            throw new ConfigurationException(
                    "operator index out of range: operatorIndex=" + operatorIndex + ", parallelism=" + parallelism);
        }
        int start = (operatorIndex * maxParallelism + parallelism - 1) / parallelism;
        int end = ((operatorIndex + 1) * maxParallelism - 1) / parallelism;
        return new KeyGroupRange(start, end);
    }

    public static void checkParallelism(int maxParallelism, int parallelism) {
        if (maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
            throw new ConfigurationException("maxParallelism out of range: maxParallelism=" + maxParallelism
                    + ", allowed=[1, " + UPPER_BOUND_MAX_PARALLELISM + "]");
        }
        if (parallelism < 1 || parallelism > maxParallelism) {
            throw new ConfigurationException("parallelism out of range: parallelism=" + parallelism
                    + ", allowed=[1, maxParallelism=" + maxParallelism + "]");
        }
    }

    /** Murmur3 finalisation of a single 32-bit word, folded to a non-negative int: Flink's {@code MathUtils.murmurHash}. */
    public static int murmurHash(int code) {
        int h = code * 0xcc9e2d51;
        h = Integer.rotateLeft(h, 15);
        h *= 0x1b873593;
        h = Integer.rotateLeft(h, 13);
        h = h * 5 + 0xe6546b64;
        h ^= 4;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        if (h >= 0) {
            return h;
        }
        return h != Integer.MIN_VALUE ? -h : 0;
    }
}

package io.tidemark.jmh.checkpoint;

import java.util.SplittableRandom;

/**
 * Values written by the checkpoint benchmarks: random bytes, so zstd cannot shrink them and the byte counts show
 * what each format writes per changed value, not how well the benchmark's data compresses. A fresh array per
 * write: heap backends keep the array they are given.
 */
final class CheckpointValues {
    private final int valueSize;
    private final SplittableRandom random;

    CheckpointValues(int valueSize, long seed) {
        if (valueSize < 8) {
            throw new IllegalArgumentException("value size below 8 bytes: valueSize=" + valueSize);
        }
        this.valueSize = valueSize;
        this.random = new SplittableRandom(seed);
    }

    byte[] next() {
        byte[] value = new byte[valueSize];
        for (int i = 0; i < valueSize; i += 8) {
            long bits = random.nextLong();
            for (int b = 0; b < 8 && i + b < valueSize; b++) {
                value[i + b] = (byte) (bits >>> (8 * b));
            }
        }
        return value;
    }

    /** Writes a new value to every key. */
    static void load(CheckpointSubject subject, int keyCount, CheckpointValues values) throws Exception {
        for (int key = 0; key < keyCount; key++) {
            subject.put(key, values.next());
        }
    }
}

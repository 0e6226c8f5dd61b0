package io.tidemark.jmh.checkpoint;

import java.util.SplittableRandom;

/**
 * Values written by the checkpoint benchmarks: random bytes, so zstd cannot shrink them and the byte counts show
 * what each format writes per changed value, not how well the benchmark's data compresses. A fresh array per
 * write: heap backends keep the array they are given. The states hold them with a {@code byte[]} serializer without
 * a fixed length (Tidemark's {@code BytesSerializer}, Flink's {@code BytePrimitiveArraySerializer}).
 *
 * <p>{@code fixed}: every value is {@code valueSize} bytes. {@code varied}: each value's length is drawn uniformly from
 * {@code [valueSize / 2, valueSize * 3 / 2]} (mean {@code valueSize}), so an update usually changes the length of the
 * value it replaces. {@link #bytesProduced()} counts the value bytes handed out, for "changed bytes".
 */
final class CheckpointValues {
    static final String FIXED = "fixed";
    static final String VARIED = "varied";

    private final int valueSize;
    private final boolean varied;
    private final SplittableRandom random;
    private long bytesProduced;

    CheckpointValues(int valueSize, long seed) {
        this(valueSize, FIXED, seed);
    }

    /** @param sizes {@value #FIXED} or {@value #VARIED} */
    CheckpointValues(int valueSize, String sizes, long seed) {
        if (valueSize < 8) {
            throw new IllegalArgumentException("value size below 8 bytes: valueSize=" + valueSize);
        }
        if (!sizes.equals(FIXED) && !sizes.equals(VARIED)) {
            throw new IllegalArgumentException(
                    "unknown value sizes: valueSizes=" + sizes + ", allowed=[" + FIXED + ", " + VARIED + "]");
        }
        this.valueSize = valueSize;
        this.varied = sizes.equals(VARIED);
        this.random = new SplittableRandom(seed);
    }

    /** Value bytes returned by {@link #next()} so far. */
    long bytesProduced() {
        return bytesProduced;
    }

    byte[] next() {
        int length = varied ? valueSize / 2 + random.nextInt(valueSize + 1) : valueSize;
        bytesProduced += length;
        byte[] value = new byte[length];
        for (int i = 0; i < length; i += 8) {
            long bits = random.nextLong();
            for (int b = 0; b < 8 && i + b < length; b++) {
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

package io.tidemark.flink;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The input of the MiniCluster jobs and its oracle. Record {@code n} of {@code [0, keys * perKey)} belongs to key
 * {@code n % keys} with per-key sequence number {@code n / keys} (also its event time) and value {@link #value}; keys
 * are interleaved, so every key is active all the time. A key's sequence numbers fall into windows of
 * {@code window} numbers.
 *
 * <p>{@link #expectedOutput()} computes, with plain loops and no Flink, the lines {@link SequenceStateFunction} emits:
 * one {@code window} line per key and window, and one {@code final} line per key.
 *
 * @param keys distinct keys
 * @param perKey records per key
 * @param window sequence numbers per window; divides {@code perKey}
 */
record SequenceShape(int keys, int perKey, int window) implements Serializable {
    SequenceShape {
        if (keys <= 0 || perKey <= 0 || window <= 0 || perKey % window != 0) {
            throw new IllegalArgumentException("shape out of range: keys=" + keys + ", perKey=" + perKey + ", window="
                    + window + ", required: all positive and window divides perKey");
        }
    }

    long records() {
        return (long) keys * perKey;
    }

    int key(long n) {
        return (int) (n % keys);
    }

    long seq(long n) {
        return n / keys;
    }

    /** A record's value: spread over [0, 1000) so sums and maxima differ per key and window. */
    static long value(long n) {
        return (n * 7919L) % 1000L;
    }

    long windowOf(long seq) {
        return seq / window;
    }

    /** The last event time of window {@code w}: its timer fires once the watermark reaches it. */
    long windowEnd(long w) {
        return (w + 1) * window - 1;
    }

    static String windowLine(int key, long window, long sum) {
        return "window key=" + key + " window=" + window + " sum=" + sum;
    }

    static String finalLine(int key, long count, long total, long max, List<Long> windowSums) {
        return "final key=" + key + " count=" + count + " total=" + total + " max=" + max + " windows=" + windowSums;
    }

    /** Every line a complete run emits, in no particular order. */
    List<String> expectedOutput() {
        int windows = perKey / window;
        List<String> lines = new ArrayList<>(keys * (windows + 1));
        for (int key = 0; key < keys; key++) {
            long total = 0;
            long max = Long.MIN_VALUE;
            List<Long> sums = new ArrayList<>(windows);
            for (int w = 0; w < windows; w++) {
                long sum = 0;
                for (long seq = (long) w * window; seq < (long) (w + 1) * window; seq++) {
                    long v = value(seq * keys + key);
                    sum += v;
                    max = Math.max(max, v);
                }
                total += sum;
                sums.add(sum);
                lines.add(windowLine(key, w, sum));
            }
            lines.add(finalLine(key, perKey, total, max, sums));
        }
        return lines;
    }
}

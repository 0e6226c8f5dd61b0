package io.tidemark.checkpoint.format;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Not a test: the measurement behind the default zstd level and block size (docs/spec/checkpoint-format.md). Run with
 * {@code java -cp <test classpath> io.tidemark.checkpoint.format.CompressionMeasurement}. Data resembles serialized
 * keyed state: records of a long key, an int counter, a short string and a double.
 */
public final class CompressionMeasurement {
    private CompressionMeasurement() {}

    public static void main(String[] args) throws Exception {
        int size = 64 << 20;
        byte[] data = stateLike(new Random(1), size);
        Path dir = Files.createTempDirectory("tidemark-measure");
        int[] levels = {-1, 1, 3, 6};
        int[] blocks = {64 << 10, 256 << 10, 1 << 20};
        for (int level : levels) {
            for (int block : blocks) {
                CompressionConfig cfg = new CompressionConfig(level, block);
                double bestW = 0;
                double bestR = 0;
                long len = 0;
                for (int rep = 0; rep < 3; rep++) {
                    Path p = dir.resolve("f" + level + "-" + block + "-" + rep);
                    long t0 = System.nanoTime();
                    DataFileSummary s = DataFiles.write(p, data, DataFiles.HEADER, cfg);
                    long t1 = System.nanoTime();
                    byte[] back = DataFiles.readAll(p, DataFiles.HEADER, s.length(), s.crc32c());
                    long t2 = System.nanoTime();
                    if (back.length != data.length) {
                        throw new AssertionError();
                    }
                    bestW = Math.max(bestW, size / 1e6 / ((t1 - t0) / 1e9));
                    bestR = Math.max(bestR, size / 1e6 / ((t2 - t1) / 1e9));
                    len = s.length();
                    Files.delete(p);
                }
                System.out.printf(
                        "level=%d block=%dKiB ratio=%.2f write=%.0f MB/s read+verify=%.0f MB/s%n",
                        level, block >> 10, (double) size / len, bestW, bestR);
            }
        }
        Files.delete(dir);
    }

    static byte[] stateLike(Random r, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        String[] words = {"order", "fill", "cancel", "quote", "trade", "EURUSD", "AAPL", "MSFT", "venue-7", "acct-42"};
        long key = 1_000_000;
        while (b.remaining() > 64) {
            key += 1 + r.nextInt(100);
            b.putLong(key);
            b.putInt(r.nextInt(1000));
            byte[] w = words[r.nextInt(words.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            b.put((byte) w.length).put(w);
            b.putDouble(Math.round(r.nextGaussian() * 10000) / 100.0);
        }
        return b.array();
    }
}

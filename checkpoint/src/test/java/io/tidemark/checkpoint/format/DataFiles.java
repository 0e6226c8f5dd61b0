package io.tidemark.checkpoint.format;

import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Test helpers: make data, write it as a data file, read it back. */
final class DataFiles {
    static final DataFileHeader HEADER = new DataFileHeader(7, KeyGroupRange.of(3, 9), FileKind.KEYED_STATE);
    static final CompressionConfig SMALL_BLOCKS = new CompressionConfig(1, CompressionConfig.MIN_BLOCK_SIZE);

    private DataFiles() {}

    /** Semi-compressible bytes: runs of repeated words mixed with noise, like serialized state. */
    static byte[] data(Random random, int length) {
        byte[] b = new byte[length];
        int i = 0;
        while (i < length) {
            if (random.nextInt(4) == 0) {
                b[i++] = (byte) random.nextInt();
            } else {
                int run = Math.min(length - i, 1 + random.nextInt(16));
                byte v = (byte) ('a' + random.nextInt(8));
                for (int j = 0; j < run; j++) {
                    b[i++] = v;
                }
            }
        }
        return b;
    }

    static DataFileSummary write(Path path, byte[] content, DataFileHeader header, CompressionConfig config) {
        try (DataFileWriter w = DataFileWriter.create(NioCheckpointFileSystem.INSTANCE, path, header, config)) {
            w.write(content, 0, content.length);
            return w.finish();
        }
    }

    static byte[] readAll(Path path, DataFileHeader expected, long length, int crc) {
        try (DataFileReader r = DataFileReader.open(NioCheckpointFileSystem.INSTANCE, path, expected, length, crc);
                DataFileInputStream in = r.openStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[777];
            int n;
            while ((n = in.read(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void put(Path p, byte[] b) {
        try {
            Files.write(p, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.tidemark.checkpoint.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot copy loop (writing a stream block by block) and the restore read loop allocate nothing per byte and
 * next to nothing per block once warmed up: measured with the thread's allocated-bytes counter.
 */
class SteadyStateAllocationTest {
    @TempDir
    Path dir;

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void writeAndReadLoopsDoNotAllocatePerBlock() {
        byte[] chunk = DataFiles.data(new Random(1), 1000);
        byte[] into = new byte[1000];
        int blocks = 256;
        long bytes = (long) blocks * DataFiles.SMALL_BLOCKS.blockSize();
        for (int round = 0; round < 3; round++) {
            Path p = dir.resolve("f" + round);
            try (DataFileWriter w = DataFileWriter.create(
                    NioCheckpointFileSystem.INSTANCE, p, DataFiles.HEADER, DataFiles.SMALL_BLOCKS)) {
                for (int i = 0; i < 16; i++) { // warm up: first blocks, index growth to 32 entries
                    w.write(chunk, 0, chunk.length);
                }
                long before = allocated();
                for (long written = 0; written < bytes; written += chunk.length) {
                    w.write(chunk, 0, chunk.length);
                }
                long perBlock = (allocated() - before) / blocks;
                w.finish();
                if (round == 2) {
                    System.out.println("allocated per written block of " + DataFiles.SMALL_BLOCKS.blockSize()
                            + " bytes: " + perBlock);
                    // the block index doubles (20 bytes per entry, ~75 bytes per block amortised from 32 to 512
                    // entries) and FileChannel keeps a little bookkeeping per write: nothing per byte
                    assertThat(perBlock).as("bytes allocated per written block").isLessThan(256);
                }
            }
            try (DataFileReader r = DataFileReader.open(NioCheckpointFileSystem.INSTANCE, p, DataFiles.HEADER);
                    DataFileInputStream in = r.openStream()) {
                for (int i = 0; i < 16; i++) {
                    in.read(into, 0, into.length);
                }
                long before = allocated();
                while (in.read(into, 0, into.length) > 0) {
                    // drain
                }
                long perBlock = (allocated() - before) / blocks;
                if (round == 2) {
                    System.out.println("allocated per read block: " + perBlock);
                    assertThat(perBlock).as("bytes allocated per read block").isLessThan(256);
                }
            }
        }
    }
}

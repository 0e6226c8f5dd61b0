package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * K1: seeded single-bit flips anywhere in the data files and {@code _metadata} of the latest checkpoint are refused,
 * with the corruption error naming the flipped file and an offset at or before the flipped byte.
 */
class BitFlipTest {
    static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    static final int FLIPS = Integer.getInteger("tidemark.test.flips", 150);

    @TempDir
    Path root;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @Test
    void seededBitFlipsAreRefusedNamingFileAndOffset() throws Exception {
        System.out.println("BitFlipTest seed=" + SEED + " (re-run with -Dtidemark.test.seed=" + SEED + ")");
        Random random = new Random(SEED);
        CheckpointStorage s = Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
        Workload.write(s, 1, true);
        Workload.write(s, 2, true);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        List<Path> chk2Files = new ArrayList<>();
        for (Path p : files) {
            if (p.startsWith(root.resolve("chk-2")) || p.endsWith("shared-1.sst") || p.endsWith("shared-2.sst")) {
                chk2Files.add(p);
            }
        }
        assertThat(chk2Files).hasSize(5);

        for (int i = 0; i < FLIPS; i++) {
            Path victim = chk2Files.get(random.nextInt(chk2Files.size()));
            byte[] original = Files.readAllBytes(victim);
            int pos = random.nextInt(original.length);
            int bit = random.nextInt(8);
            byte[] damaged = original.clone();
            damaged[pos] ^= (byte) (1 << bit);
            Files.write(victim, damaged);
            try {
                Throwable t = catchThrowable(() -> {
                    CheckpointStorage reopened =
                            Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
                    reopened.verifyFully(reopened.latest());
                    Workload.assertRestores(fs, reopened.latest());
                });
                String where = "seed=" + SEED + " flip " + i + ": " + victim + " byte " + pos + " bit " + bit;
                assertThat(t).as(where).isInstanceOf(CorruptCheckpointException.class);
                CorruptCheckpointException e = (CorruptCheckpointException) t;
                assertThat(e.file()).as(where).isEqualTo(victim.toString());
                assertThat(e.offset()).as(where).isBetween(0L, (long) pos);
            } finally {
                Files.write(victim, original);
            }
        }
        CheckpointStorage clean = Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
        clean.verifyFully(clean.latest());
    }
}

package io.tidemark.checkpoint.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultInjectingFileSystemTest {
    @TempDir
    Path tmp;

    Path root;
    FaultInjectingFileSystem fs;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("old"));
        Files.write(root.resolve("old/durable"), new byte[] {9, 9});
        fs = new FaultInjectingFileSystem(root, tmp.resolve("scratch"));
    }

    private void write(Path p, int n, boolean sync) {
        try (WritableFile f = fs.create(p)) {
            f.write(ByteBuffer.allocate(n));
            if (sync) {
                f.sync();
            }
        }
    }

    @Test
    void powerLossDropsUnsyncedBytesAndUnsyncedEntries() throws Exception {
        Path synced = root.resolve("synced");
        try (WritableFile f = fs.create(synced)) {
            f.write(ByteBuffer.allocate(10));
            f.sync();
            f.write(ByteBuffer.allocate(5)); // never synced
        }
        fs.syncDirectory(root);
        write(root.resolve("unnamed"), 10, true); // synced file, directory entry not synced
        fs.powerLoss();

        assertThat(Files.size(synced)).isEqualTo(10);
        assertThat(Files.exists(root.resolve("unnamed"))).isFalse();
        assertThat(Files.readAllBytes(root.resolve("old/durable"))).containsExactly(9, 9);
    }

    @Test
    void unsyncedRenameIsUndoneAndSyncedRenameKept() throws Exception {
        write(root.resolve("a.tmp"), 4, true);
        fs.syncDirectory(root);
        fs.rename(root.resolve("a.tmp"), root.resolve("a"));
        fs.powerLoss();
        assertThat(Files.exists(root.resolve("a.tmp"))).isTrue();
        assertThat(Files.exists(root.resolve("a"))).isFalse();

        fs.rename(root.resolve("a.tmp"), root.resolve("a"));
        fs.syncDirectory(root);
        fs.powerLoss();
        assertThat(Files.exists(root.resolve("a"))).isTrue();
        assertThat(Files.size(root.resolve("a"))).isEqualTo(4);
        assertThat(Files.exists(root.resolve("a.tmp"))).isFalse();
    }

    @Test
    void unsyncedDeleteComesBackAndNewDirectoryNeedsParentSync() throws Exception {
        fs.delete(root.resolve("old/durable"));
        fs.delete(root.resolve("old"));
        fs.createDirectories(root.resolve("new"));
        write(root.resolve("new/f"), 3, true);
        fs.syncDirectory(root.resolve("new"));
        fs.powerLoss();
        assertThat(Files.readAllBytes(root.resolve("old/durable"))).containsExactly(9, 9);
        assertThat(Files.exists(root.resolve("new"))).isFalse();

        fs.createDirectories(root.resolve("new"));
        write(root.resolve("new/f"), 3, true);
        fs.syncDirectory(root.resolve("new"));
        fs.syncDirectory(root);
        fs.powerLoss();
        assertThat(Files.size(root.resolve("new/f"))).isEqualTo(3);
    }

    @Test
    void randomPowerLossKeepsAPrefixOfEachDirectorysChangesAndPartOfUnsyncedTails() throws Exception {
        List<List<String>> prefixes =
                List.of(List.of(), List.of("a"), List.of("a", "b"), List.of("a", "b", "c"), List.of("b", "c", "d"));
        for (long seed = 0; seed < 20; seed++) {
            Path r = tmp.resolve("r" + seed);
            FaultInjectingFileSystem f = new FaultInjectingFileSystem(r, tmp.resolve("s" + seed));
            for (String n : new String[] {"a", "b", "c"}) {
                try (WritableFile w = f.create(r.resolve(n))) {
                    w.write(ByteBuffer.allocate(8));
                    w.sync();
                    w.write(ByteBuffer.allocate(8));
                }
            }
            f.rename(r.resolve("a"), r.resolve("d"));
            f.powerLoss(new Random(seed));
            List<String> names = f.list(r);
            assertThat(prefixes).as("seed " + seed).contains(names);
            for (String n : names) {
                assertThat(Files.size(r.resolve(n))).isBetween(8L, 16L);
            }
        }
    }

    @Test
    void filesOpenedBeforePowerLossAreDead() {
        WritableFile f = fs.create(root.resolve("x"));
        fs.powerLoss();
        assertThatThrownBy(() -> f.write(ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void quotaFailsWithStorageSpaceAndDeletesFreeSpace() {
        fs.setQuotaBytes(fs.usedBytes() + 100);
        write(root.resolve("a"), 60, true);
        assertThatThrownBy(() -> write(root.resolve("b"), 60, true))
                .isInstanceOf(StorageSpaceException.class)
                .hasMessageContaining("file=" + root.resolve("b"));
        assertThat(fs.usedBytes()).isEqualTo(2 + 100);
        fs.delete(root.resolve("b"));
        fs.delete(root.resolve("a"));
        write(root.resolve("c"), 90, true);
    }

    @Test
    void nthAndSeededFailures() {
        fs.failNth(FaultInjectingFileSystem.Op.SYNC, 2);
        write(root.resolve("a"), 1, true);
        assertThatThrownBy(() -> write(root.resolve("b"), 1, true))
                .isInstanceOf(StorageIOException.class)
                .hasMessageContaining("Input/output error");
        write(root.resolve("c"), 1, true);

        fs.setRandomFailures(1, 1.0, EnumSet.of(FaultInjectingFileSystem.Op.RENAME));
        assertThatThrownBy(() -> fs.rename(root.resolve("a"), root.resolve("d")))
                .isInstanceOf(StorageIOException.class);
        fs.clearFaults();
        fs.rename(root.resolve("a"), root.resolve("d"));
        assertThat(fs.injectedFaults()).hasSize(2);
    }

    @Test
    void refusesPathsOutsideRoot() {
        assertThatThrownBy(() -> fs.create(tmp.resolve("elsewhere"))).isInstanceOf(IllegalArgumentException.class);
    }
}

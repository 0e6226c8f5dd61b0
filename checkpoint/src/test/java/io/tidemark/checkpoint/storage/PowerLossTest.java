package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.StorageIOException;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * P1: the power is cut after a seeded random number of file operations, again and again, while incremental
 * checkpoints are being written; the fault file system then keeps only what was fsynced (even cycles) or that plus a
 * random part of what was not (odd cycles). After every "reboot" the
 * latest checkpoint reported complete (or a newer one whose commit reached the disk) restores byte for byte, and every
 * leftover is cleaned.
 */
class PowerLossTest {
    static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    static final int CYCLES = Integer.getInteger("tidemark.test.cycles", 40);

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyCheckpointReportedCompleteSurvivesPowerLoss() throws Exception {
        System.out.println("PowerLossTest seed=" + SEED + " (re-run with -Dtidemark.test.seed=" + SEED + ")");
        Random random = new Random(SEED);
        Path root = tmp.resolve("root");
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem(root, tmp.resolve("scratch"));
        CheckpointStorageConfig config = CheckpointStorageConfig.of(root);
        long reportedComplete = -1;
        int cutsDuringCommit = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String where = "seed=" + SEED + " cycle=" + cycle;
            CheckpointStorage s = Restart.open(config, fs, RestorePolicy.LATEST_ONLY);
            if (reportedComplete >= 0) {
                CompletedCheckpoint latest = s.latest();
                assertThat(latest).as(where).isNotNull();
                assertThat(latest.checkpointId()).as(where).isGreaterThanOrEqualTo(reportedComplete);
                List<Long> ids = s.retained().stream()
                        .map(CompletedCheckpoint::checkpointId)
                        .collect(Collectors.toList());
                assertThat(ids.contains(reportedComplete) || ids.size() == config.retainedCheckpoints())
                        .as(where + " retained=" + ids)
                        .isTrue();
                for (CompletedCheckpoint cp : s.retained()) {
                    Workload.assertRestores(fs, cp);
                }
                reportedComplete = latest.checkpointId();
            }
            assertThat(leftovers(root)).as(where).isEmpty();

            fs.cutPowerAfter(random.nextInt(120));
            try {
                while (true) {
                    long id = s.highestCheckpointId() + 1;
                    Workload.write(s, id, true);
                    reportedComplete = id;
                }
            } catch (StorageIOException e) {
                assertThat(fs.isPowerCut()).as(where + ": " + e).isTrue();
                cutsDuringCommit++;
            }
            if (cycle % 2 == 0) {
                fs.powerLoss();
            } else {
                fs.powerLoss(random);
            }
        }
        assertThat(cutsDuringCommit).isEqualTo(CYCLES);
        assertThat(reportedComplete).as("seed=" + SEED + ": progress was made").isPositive();
    }

    private static List<Path> leftovers(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".tmp")
                            || p.getParent().equals(root)
                                    && Files.isDirectory(p)
                                    && p.getFileName().toString().startsWith("chk-")
                                    && !Files.exists(p.resolve(CheckpointLayout.METADATA)))
                    .collect(Collectors.toList());
        }
    }
}

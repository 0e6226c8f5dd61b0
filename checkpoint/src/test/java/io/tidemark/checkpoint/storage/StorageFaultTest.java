package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import io.tidemark.TidemarkException;
import io.tidemark.checkpoint.format.FileKind;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** S1 (disk full) and S2 (EIO, slow disk): the failing checkpoint aborts alone, the previous one stays intact. */
class StorageFaultTest {
    static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @TempDir
    Path tmp;

    Path root;
    FaultInjectingFileSystem fs;

    @BeforeEach
    void setUp() {
        root = tmp.resolve("root");
        fs = new FaultInjectingFileSystem(root, tmp.resolve("scratch"));
    }

    CheckpointStorage open() {
        return Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
    }

    @Test
    void diskFullWhileWritingDataAbortsOnlyThatCheckpoint() throws Exception {
        CheckpointStorage s = open();
        Workload.write(s, 1, true);
        Workload.write(s, 2, true);
        long used = fs.usedBytes();
        fs.setQuotaBytes(used + 2000);

        PendingCheckpoint p = s.begin(3);
        byte[] big = new byte[300_000];
        new Random(3).nextBytes(big); // incompressible: blocks larger than the quota
        Throwable failure = null;
        try (CheckpointFileOutput out =
                p.createFile("task-0.keyed", FileReference.Scope.EXCLUSIVE, FileKind.KEYED_STATE, Workload.range(0))) {
            out.write(big, 0, big.length);
            out.finish();
        } catch (TidemarkException e) {
            failure = e;
            p.abort(e);
        }
        assertThat(failure)
                .isInstanceOf(StorageSpaceException.class)
                .hasMessageContaining("file=" + root.resolve("chk-3/task-0.keyed"));
        CheckpointStorage reopened = assertIntactAfterAbort(s, 3, 2);
        assertThat(fs.usedBytes()).isEqualTo(used);

        fs.clearFaults();
        Workload.write(reopened, 4, true);
        Workload.assertRestores(fs, reopened.latest());
    }

    @Test
    void diskFullWhileWritingMetadataAbortsOnlyThatCheckpoint() throws Exception {
        CheckpointStorage s = open();
        Workload.write(s, 1, true);
        PendingCheckpoint p = s.begin(2);
        Workload.writeFile(
                p,
                "task-0.keyed",
                FileReference.Scope.EXCLUSIVE,
                FileKind.KEYED_STATE,
                Workload.range(0),
                new byte[100]);
        fs.setQuotaBytes(fs.usedBytes() + 10);
        assertThatThrownBy(() -> p.commit(new byte[1000]))
                .isInstanceOf(StorageSpaceException.class)
                .hasMessageContaining("_metadata.tmp");
        assertIntactAfterAbort(s, 2, 1);
    }

    @Test
    void eioAtEachCommitStepAbortsOnlyThatCheckpoint() throws Exception {
        // n-th operation of a kind within one checkpoint: the 4th create is _metadata.tmp, the 4th sync its fsync,
        // the 4th directory sync the one after the rename, the only rename the metadata one, the only mkdir chk-N.
        Op[] ops = {Op.MKDIR, Op.CREATE, Op.WRITE, Op.SYNC, Op.SYNC_DIRECTORY, Op.RENAME, Op.SYNC_DIRECTORY};
        int[] nth = {1, 4, 3, 4, 4, 1, 1};
        for (int i = 0; i < ops.length; i++) {
            Op op = ops[i];
            CheckpointStorage s = open();
            long id = s.highestCheckpointId() + 1;
            Workload.write(s, id, true);
            fs.failNth(op, nth[i]);
            assertThatThrownBy(() -> Workload.write(s, id + 1, true))
                    .as(op.name())
                    .isInstanceOf(StorageIOException.class)
                    .hasMessageContaining("Input/output error");
            fs.clearFaults();
            assertIntactAfterAbort(s, id + 1, id);
        }
    }

    /**
     * Seeded EIO on every kind of mutating operation for many rounds: each checkpoint commits or fails with a typed
     * storage error; whatever a failed abort leaves behind is cleaned at the next start; the last committed checkpoint
     * is always the one restored.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void seededRandomFailures() throws Exception {
        System.out.println("StorageFaultTest seed=" + SEED + " (re-run with -Dtidemark.test.seed=" + SEED + ")");
        Random random = new Random(SEED);
        EnumSet<Op> ops = EnumSet.complementOf(EnumSet.of(Op.READ));
        long lastCommitted = -1;
        int failures = 0;
        for (int round = 0; round < 8; round++) {
            CheckpointStorage s = open();
            if (lastCommitted >= 0) {
                assertThat(s.latest().checkpointId()).as("seed=" + SEED).isEqualTo(lastCommitted);
                Workload.assertRestores(fs, s.latest());
            }
            fs.setRandomFailures(random.nextLong(), 0.03, ops);
            for (int i = 0; i < 6; i++) {
                long id = s.highestCheckpointId() + 1;
                try {
                    Workload.write(s, id, random.nextBoolean());
                    lastCommitted = id;
                } catch (StorageIOException e) {
                    failures++;
                }
            }
            fs.clearFaults();
            if (s.latest() != null) {
                assertThat(s.latest().checkpointId()).isEqualTo(lastCommitted);
            }
        }
        CheckpointStorage s = open();
        assertThat(s.latest().checkpointId()).isEqualTo(lastCommitted);
        for (CompletedCheckpoint cp : s.retained()) {
            Workload.assertRestores(fs, cp);
        }
        assertThat(tmpFiles()).isEmpty();
        assertThat(failures).as("seed=" + SEED + ": faults were injected").isPositive();
    }

    @Test
    void retentionFailureDoesNotFailTheCommitAndIsCleanedAtNextStart() {
        CheckpointStorage s = open();
        for (long id = 1; id <= 3; id++) {
            Workload.write(s, id, true);
        }
        fs.failNth(Op.DELETE, 1); // the _metadata of checkpoint 1, first thing retention deletes
        CompletedCheckpoint fourth = Workload.write(s, 4, true);
        assertThat(s.latest()).isEqualTo(fourth);
        assertThat(s.lastRetentionFailure()).isInstanceOf(StorageIOException.class);
        assertThat(root.resolve("chk-1/_metadata")).exists();

        CheckpointStorage reopened = open();
        assertThat(reopened.retained())
                .extracting(CompletedCheckpoint::checkpointId)
                .containsExactly(2L, 3L, 4L);
        assertThat(root.resolve("chk-1")).doesNotExist();
        assertThat(reopened.sharedReferenceCount(Workload.sharedName(1)))
                .as("still listed by 2")
                .isEqualTo(1);
        for (CompletedCheckpoint cp : reopened.retained()) {
            Workload.assertRestores(fs, cp);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void slowDiskStillCompletes() {
        CheckpointStorage s = open();
        fs.setDelay(Op.SYNC, 20, TimeUnit.MILLISECONDS);
        fs.setDelay(Op.SYNC_DIRECTORY, 20, TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        Workload.write(s, 1, true);
        assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));
        Workload.assertRestores(fs, s.latest());
    }

    /** @return the storage reopened on the root (the one given is closed: one engine per root) */
    private CheckpointStorage assertIntactAfterAbort(CheckpointStorage s, long abortedId, long previousId)
            throws Exception {
        assertThat(root.resolve("chk-" + abortedId)).doesNotExist();
        assertThat(root.resolve("shared/" + Workload.sharedName(abortedId))).doesNotExist();
        assertThat(tmpFiles()).isEmpty();
        assertThat(s.latest().checkpointId()).isEqualTo(previousId);
        Workload.assertRestores(fs, s.latest());
        CheckpointStorage reopened = open();
        assertThat(reopened.latest().checkpointId()).isEqualTo(previousId);
        assertThat(reopened.recoveryReport().deleted()).isEmpty();
        return reopened;
    }

    private List<Path> tmpFiles() throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".tmp")).collect(Collectors.toList());
        }
    }
}

package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.format.FileKind;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.keygroup.KeyGroupRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStorageTest {
    @TempDir
    Path root;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    CheckpointStorage open() {
        return Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
    }

    List<Long> ids(CheckpointStorage s) {
        return s.retained().stream().map(CompletedCheckpoint::checkpointId).collect(Collectors.toList());
    }

    @Test
    void emptyRootStartsEmpty() {
        CheckpointStorage s = open();
        assertThat(s.latest()).isNull();
        assertThat(s.highestCheckpointId()).isEqualTo(-1);
        assertThat(Files.isDirectory(root.resolve("shared"))).isTrue();
    }

    @Test
    void keepsLastThreeAndReopens() {
        CheckpointStorage s = open();
        for (long id = 1; id <= 5; id++) {
            CompletedCheckpoint cp = Workload.write(s, id, false);
            assertThat(s.latest()).isEqualTo(cp);
        }
        assertThat(ids(s)).containsExactly(3L, 4L, 5L);
        assertThat(root.resolve("chk-1")).doesNotExist();
        assertThat(root.resolve("chk-2")).doesNotExist();
        assertThat(root.resolve("chk-5/_metadata")).exists();
        assertThat(s.lastRetentionFailure()).isNull();

        CheckpointStorage reopened = open();
        assertThat(ids(reopened)).containsExactly(3L, 4L, 5L);
        assertThat(reopened.recoveryReport().deleted()).isEmpty();
        for (CompletedCheckpoint cp : reopened.retained()) {
            Workload.assertRestores(fs, cp);
            reopened.verifyFully(cp);
        }
        assertThatThrownBy(() -> reopened.begin(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharedFilesAreReferenceCountedAndDeletedExactlyWhenUnreferenced() throws Exception {
        CheckpointStorage s = Restart.open(
                CheckpointStorageConfig.of(root).withRetainedCheckpoints(2), fs, RestorePolicy.LATEST_ONLY);
        Workload.write(s, 1, true); // shared-1
        Workload.write(s, 2, true); // shared-1 (reused), shared-2
        assertThat(s.sharedReferenceCount("shared-1.sst")).isEqualTo(2);
        Workload.write(s, 3, true); // shared-2 (reused), shared-3; drops 1
        assertThat(s.sharedReferenceCount("shared-1.sst")).isEqualTo(1);
        assertThat(root.resolve("shared/shared-1.sst")).exists();
        Workload.write(s, 4, true); // drops 2: shared-1 now unreferenced
        assertThat(s.sharedReferenceCount("shared-1.sst")).isZero();
        assertThat(root.resolve("shared/shared-1.sst")).doesNotExist();
        assertThat(root.resolve("shared/shared-2.sst")).exists();
        assertThat(sharedFiles()).containsExactlyInAnyOrder("shared-2.sst", "shared-3.sst", "shared-4.sst");

        CheckpointStorage reopened = Restart.open(
                CheckpointStorageConfig.of(root).withRetainedCheckpoints(2), fs, RestorePolicy.LATEST_ONLY);
        assertThat(reopened.sharedReferenceCount("shared-2.sst")).isEqualTo(1);
        assertThat(reopened.sharedReferenceCount("shared-3.sst")).isEqualTo(2);
        assertThat(reopened.sharedReferenceCount("shared-4.sst")).isEqualTo(1);
        Workload.assertRestores(fs, reopened.latest());
    }

    @Test
    void startDeletesLeftoversOfCrashedCheckpoints() throws Exception {
        CheckpointStorage s = open();
        Workload.write(s, 1, true);
        Files.createDirectories(root.resolve("chk-9"));
        Files.write(root.resolve("chk-9/task-0.keyed"), new byte[10]);
        Files.write(root.resolve("chk-9/_metadata.tmp"), new byte[10]);
        Files.write(root.resolve("chk-1/_metadata.tmp"), new byte[10]);
        Files.write(root.resolve("shared/orphan.sst"), new byte[10]);
        Files.write(root.resolve("unrelated.txt"), new byte[1]);

        CheckpointStorage reopened = open();
        assertThat(reopened.recoveryReport().deleted())
                .containsExactlyInAnyOrder(
                        root.resolve("chk-9"), root.resolve("chk-1/_metadata.tmp"), root.resolve("shared/orphan.sst"));
        assertThat(root.resolve("chk-9")).doesNotExist();
        assertThat(root.resolve("unrelated.txt")).exists();
        assertThat(sharedFiles()).containsExactly("shared-1.sst");
        assertThat(reopened.highestCheckpointId()).isEqualTo(9);
        Workload.assertRestores(fs, reopened.latest());
        assertThat(Workload.write(reopened, 10, true).checkpointId()).isEqualTo(10);
    }

    @Test
    void corruptLatestRefusesStartUnlessFallbackRequested() throws Exception {
        CheckpointStorage s = open();
        Workload.write(s, 1, true);
        Workload.write(s, 2, true);
        Files.createDirectories(root.resolve("chk-3"));
        Path meta = root.resolve("chk-2/_metadata");
        byte[] b = Files.readAllBytes(meta);
        b[40] ^= 1;
        Files.write(meta, b);

        assertThatThrownBy(this::open)
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("latest complete checkpoint 2 failed verification")
                .hasMessageContaining("fallback")
                .hasMessageContaining("file=" + meta);
        assertThat(root.resolve("chk-3")).as("nothing deleted when refusing").exists();

        CheckpointStorage fallback =
                Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.FALLBACK_TO_OLDER);
        assertThat(fallback.latest().checkpointId()).isEqualTo(1);
        assertThat(fallback.recoveryReport().skippedCorrupt()).singleElement().satisfies(e -> assertThat(e.file())
                .isEqualTo(meta.toString()));
        assertThat(root.resolve("chk-2"))
                .as("corrupt checkpoint kept for diagnosis")
                .exists();
        assertThat(root.resolve("shared/shared-2.sst"))
                .as("no shared GC beside a corrupt checkpoint")
                .exists();
        Workload.assertRestores(fs, fallback.latest());
    }

    @Test
    void noVerifiableCheckpointNeverStartsEmpty() throws Exception {
        CheckpointStorage s = open();
        Workload.write(s, 1, false);
        Files.write(root.resolve("chk-1/_metadata"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.FALLBACK_TO_OLDER))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("refusing to start empty");
    }

    @Test
    void missingOrResizedDataFileFailsVerificationOfTheLatest() throws Exception {
        CheckpointStorage s = open();
        Workload.write(s, 1, false);
        Files.delete(root.resolve("chk-1/task-1.keyed"));
        assertThatThrownBy(this::open)
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining("task-1.keyed");
        Files.write(root.resolve("chk-1/task-1.keyed"), new byte[5]);
        assertThatThrownBy(this::open)
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("length differs");
    }

    @Test
    void abortDeletesEverythingItCreatedAndKeepsThePrevious() throws Exception {
        CheckpointStorage s = open();
        Workload.write(s, 1, true);
        PendingCheckpoint p = s.begin(2);
        p.reuseSharedFile(s.latest().metadata().file("shared-1.sst", FileReference.Scope.SHARED));
        Workload.writeFile(
                p,
                "task-0.keyed",
                FileReference.Scope.EXCLUSIVE,
                FileKind.KEYED_STATE,
                Workload.range(0),
                new byte[100]);
        Workload.writeFile(
                p, "shared-2.sst", FileReference.Scope.SHARED, FileKind.OTHER, KeyGroupRange.all(128), new byte[100]);
        CheckpointFileOutput unfinished =
                p.createFile("task-1.keyed", FileReference.Scope.EXCLUSIVE, FileKind.KEYED_STATE, Workload.range(1));
        unfinished.write(new byte[10], 0, 10);
        assertThatThrownBy(() -> p.commit(new byte[0]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unfinished");
        p.abort(new RuntimeException("test"));

        assertThat(root.resolve("chk-2")).doesNotExist();
        assertThat(sharedFiles()).containsExactly("shared-1.sst");
        assertThat(s.sharedReferenceCount("shared-1.sst")).isEqualTo(1);
        assertThat(s.latest().checkpointId()).isEqualTo(1);
        Workload.assertRestores(fs, s.latest());
        assertThatThrownBy(() -> p.commit(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void savepointIsSelfContainedAndRelocatable(@TempDir Path elsewhere) throws Exception {
        Path dir = elsewhere.resolve("savepoint-1");
        PendingCheckpoint p = CheckpointStorage.beginSavepoint(fs, dir, 42, CompressionConfig.DEFAULT);
        assertThatThrownBy(
                        () -> p.createFile("s.sst", FileReference.Scope.SHARED, FileKind.OTHER, KeyGroupRange.all(4)))
                .isInstanceOf(IllegalArgumentException.class);
        Workload.writeFile(
                p,
                "task-0.keyed",
                FileReference.Scope.EXCLUSIVE,
                FileKind.CANONICAL_SAVEPOINT,
                KeyGroupRange.all(4),
                new byte[] {1, 2, 3});
        p.commit(new byte[] {7});

        Path moved = elsewhere.resolve("moved");
        Files.move(dir, moved);
        CompletedCheckpoint sp = CheckpointStorage.loadSavepoint(fs, moved);
        assertThat(sp.metadata().savepoint()).isTrue();
        assertThat(sp.checkpointId()).isEqualTo(42);
        assertThat(sp.resolve(sp.metadata().files().get(0))).isEqualTo(moved.resolve("task-0.keyed"));
        try (var r = CheckpointStorage.openFile(
                        fs,
                        sp,
                        sp.metadata().files().get(0),
                        new io.tidemark.checkpoint.format.DataFileHeader(
                                42, KeyGroupRange.all(4), FileKind.CANONICAL_SAVEPOINT));
                var in = r.openStream()) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void filesMustBeWrittenByACheckpointThatMayOwnThem() {
        FileReference exclusive = new FileReference("a", FileReference.Scope.EXCLUSIVE, 1, 0);
        FileReference shared = new FileReference("b", FileReference.Scope.SHARED, 1, 0);
        CheckpointStorage.checkWriter(5, exclusive, 5, root.resolve("a"));
        CheckpointStorage.checkWriter(5, shared, 3, root.resolve("b"));
        assertThatThrownBy(() -> CheckpointStorage.checkWriter(5, exclusive, 4, root.resolve("a")))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("written by another checkpoint");
        assertThatThrownBy(() -> CheckpointStorage.checkWriter(5, shared, 6, root.resolve("b")))
                .isInstanceOf(CorruptCheckpointException.class);
    }

    @Test
    void aSharedFileNameThatExistsIsRefusedAndTheExistingFileSurvivesAbort() {
        CheckpointStorage s = open();
        Workload.write(s, 1, true);
        PendingCheckpoint p = s.begin(2);
        assertThatThrownBy(() -> p.createFile(
                        "shared-1.sst", FileReference.Scope.SHARED, FileKind.OTHER, KeyGroupRange.all(128)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists");
        p.abort(null);
        assertThat(root.resolve("shared/shared-1.sst")).exists();
        Workload.assertRestores(fs, s.latest());
    }

    @Test
    void layoutParsesOnlyCanonicalIds() {
        assertThat(CheckpointLayout.parseCheckpointId("chk-12")).isEqualTo(12);
        assertThat(CheckpointLayout.parseCheckpointId("chk-012")).isEqualTo(-1);
        assertThat(CheckpointLayout.parseCheckpointId("chk-")).isEqualTo(-1);
        assertThat(CheckpointLayout.parseCheckpointId("chk-1a")).isEqualTo(-1);
        assertThat(CheckpointLayout.parseCheckpointId("shared")).isEqualTo(-1);
    }

    private List<String> sharedFiles() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("shared"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }
}

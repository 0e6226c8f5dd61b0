package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.InlineStream;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem.Op;
import io.tidemark.checkpoint.offline.CheckpointInspector;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.checkpoint.testing.JobFixture.Backend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One data file and one fsync per task per checkpoint: a keyed task's operator state rides inside {@code _metadata}
 * (covered by its CRC32C), only its keyed stream is a data file. With inlining disabled (threshold 0, the layout before
 * inline streams) each task writes two. Inline operator state restores, also at other parallelisms; a bit flip in the
 * inline bytes is refused naming {@code _metadata}; a stream over the threshold still becomes a file.
 */
class OneDataFilePerTaskTest {
    static final int MAX_PARALLELISM = 32;
    static final int PARALLELISM = 3;
    static final int KEYS = 120;

    @TempDir
    Path tmp;

    /** What one checkpoint of {@value #PARALLELISM} tasks did on the file system, per task. */
    record PerTask(double dataFiles, double dataFsyncs, int inlineStreams) {}

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachTaskWritesOneDataFileAndOneFsyncPerCheckpoint(Backend backend) throws Exception {
        PerTask inlined = checkpointTwiceAndRestore(backend, CheckpointStorageConfig.DEFAULT_INLINE_THRESHOLD, "on");
        PerTask disabled = checkpointTwiceAndRestore(backend, 0, "off");
        System.out.println("OneDataFilePerTaskTest " + backend + ": inline threshold 0 -> " + disabled + "; "
                + CheckpointStorageConfig.DEFAULT_INLINE_THRESHOLD + " -> " + inlined);
        assertThat(disabled).isEqualTo(new PerTask(2, 2, 0));
        assertThat(inlined).isEqualTo(new PerTask(1, 1, PARALLELISM));
    }

    @Test
    void operatorStateOverTheThresholdStillBecomesADataFile() throws Exception {
        // the fixture's operator state of one task is well over 64 bytes: it spills to a file of its own
        assertThat(checkpointTwiceAndRestore(Backend.HEAP, 64, "small")).isEqualTo(new PerTask(2, 2, 0));
    }

    @Test
    void bitFlipInInlineBytesIsRefusedNamingMetadata() throws Exception {
        Path root = tmp.resolve("flip");
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem(root, tmp.resolve("flip-scratch"));
        CompletedCheckpoint cp;
        try (JobFixture job = new JobFixture(Backend.HEAP, tmp.resolve("flip-work"), MAX_PARALLELISM)) {
            var subtasks = job.create(PARALLELISM);
            job.populate(subtasks, KEYS);
            CheckpointStorage storage = Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
            cp = job.checkpoint(storage, 1, SnapshotKind.FULL, subtasks);
        }
        Path metadata = cp.directory().resolve(CheckpointLayout.METADATA);
        byte[] original = Files.readAllBytes(metadata);
        InlineStream stream = cp.metadata().inline().get(1);
        int at = inlineBytesOffset(original, stream) + stream.length() / 2;
        for (int bit = 0; bit < 8; bit++) {
            byte[] damaged = original.clone();
            damaged[at] ^= (byte) (1 << bit);
            Files.write(metadata, damaged);
            Throwable t =
                    catchThrowable(() -> Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY));
            assertThat(t).as("bit %d of byte %d", bit, at).isInstanceOf(CorruptCheckpointException.class);
            assertThat(((CorruptCheckpointException) t).file()).isEqualTo(metadata.toString());
            assertThat(t).hasMessageContaining("metadata checksum mismatch");
        }
        Files.write(metadata, original);
        CheckpointStorage clean = Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
        clean.verifyFully(clean.latest());
    }

    /** Where the bytes of {@code stream} start in an encoded {@code _metadata}: after its name and length. */
    private static int inlineBytesOffset(byte[] metadata, InlineStream stream) {
        byte[] name = stream.name().getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + name.length <= metadata.length; i++) {
            for (int j = 0; j < name.length; j++) {
                if (metadata[i + j] != name[j]) {
                    continue outer;
                }
            }
            return i + name.length + 4;
        }
        throw new AssertionError("inline stream not found in _metadata: " + stream.name());
    }

    /**
     * Two checkpoints (full state, then rewritten state) of {@value #PARALLELISM} tasks on the fault-injecting file
     * system, counting data files created and fsynced for the second one; restores it at 1, 3 and 5 tasks.
     */
    private PerTask checkpointTwiceAndRestore(Backend backend, int inlineThreshold, String name) throws Exception {
        Path root = tmp.resolve("root-" + name + "-" + backend);
        FaultInjectingFileSystem fs =
                new FaultInjectingFileSystem(root, tmp.resolve("scratch-" + name + "-" + backend));
        CheckpointStorageConfig config = CheckpointStorageConfig.of(root).withInlineThreshold(inlineThreshold);
        try (JobFixture job = new JobFixture(backend, tmp.resolve("work-" + name + "-" + backend), MAX_PARALLELISM)) {
            var subtasks = job.create(PARALLELISM);
            CheckpointStorage storage = Restart.open(config, fs, RestorePolicy.LATEST_ONLY);
            job.populate(subtasks, KEYS);
            job.checkpoint(storage, 1, SnapshotKind.INCREMENTAL, subtasks);
            job.populate(subtasks, KEYS);
            fs.clearPerformed();
            CompletedCheckpoint cp = job.checkpoint(storage, 2, SnapshotKind.INCREMENTAL, subtasks);
            List<Path> created = dataFiles(fs.performed(Op.CREATE));
            List<Path> synced = dataFiles(fs.performed(Op.SYNC));
            long written = cp.metadata().files().stream()
                    .filter(f -> f.scope() == FileReference.Scope.EXCLUSIVE
                            || f.name().contains(".c" + cp.checkpointId() + "."))
                    .count();
            assertThat(created)
                    .as("files created = files the checkpoint lists as its own")
                    .hasSize((int) written);

            CheckpointStorage restarted = Restart.open(config, fs, RestorePolicy.LATEST_ONLY);
            for (int p : new int[] {1, PARALLELISM, 5}) {
                var restored = job.restore(fs, restarted.latest(), p);
                job.assertKeyedState(restored, KEYS);
                JobFixture.assertOperatorState(restored, PARALLELISM);
            }
            String report = CheckpointInspector.describe(fs, restarted.latest().directory());
            assertThat(report).contains("operator source-offsets: UNION");
            if (!cp.metadata().inline().isEmpty()) {
                assertThat(report)
                        .contains("inline streams: " + cp.metadata().inline().size());
            }
            return new PerTask(
                    created.size() / (double) PARALLELISM,
                    synced.size() / (double) PARALLELISM,
                    cp.metadata().inline().size());
        }
    }

    /** Data files among {@code paths}: everything but {@code _metadata.tmp}. */
    private static List<Path> dataFiles(List<Path> paths) {
        return paths.stream()
                .filter(p -> !p.getFileName().toString().equals(CheckpointLayout.METADATA_TMP))
                .toList();
    }
}

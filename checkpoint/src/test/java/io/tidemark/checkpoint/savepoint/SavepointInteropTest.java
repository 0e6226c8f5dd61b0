package io.tidemark.checkpoint.savepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.storage.CheckpointLayout;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.testing.JobFixture;
import io.tidemark.checkpoint.testing.JobFixture.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints are canonical, self-contained and movable, and every backend restores every other backend's savepoint:
 * heap -> chronicle -> heap and heap -> offheap -> chronicle -> offheap -> heap, each hop at another parallelism.
 */
class SavepointInteropTest {
    static final int MAX_PARALLELISM = 32;
    static final int KEYS = 200;

    @TempDir
    Path tmp;

    final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;

    @Test
    void heapToChronicleToHeap() throws Exception {
        try (JobFixture heap = new JobFixture(Backend.HEAP, tmp.resolve("heap"), MAX_PARALLELISM);
                JobFixture chronicle = new JobFixture(Backend.CHRONICLE, tmp.resolve("chronicle"), MAX_PARALLELISM)) {
            var first = heap.create(3);
            heap.populate(first, KEYS);
            CompletedCheckpoint fromHeap = Savepoints.write(
                    fs, tmp.resolve("sp-heap"), 1, CompressionConfig.DEFAULT, heap.savepointInputs(first));

            var onChronicle = chronicle.restore(fs, fromHeap, 5);
            chronicle.assertKeyedState(onChronicle, KEYS);
            JobFixture.assertOperatorState(onChronicle, 3);
            JobFixture.keepOwnSourceOffsets(onChronicle);
            CompletedCheckpoint fromChronicle = Savepoints.write(
                    fs,
                    tmp.resolve("sp-chronicle"),
                    2,
                    CompressionConfig.DEFAULT,
                    chronicle.savepointInputs(onChronicle));

            var backOnHeap = heap.restore(fs, fromChronicle, 2);
            heap.assertKeyedState(backOnHeap, KEYS);
            // operator state went 3 -> 5 (split re-cut, union and broadcast whole) -> 2; each source subtask kept
            // only the offsets it owns after the first hop, so the union is the original offsets again
            JobFixture.assertOperatorState(backOnHeap, 3);
        }
    }

    @Test
    void heapToOffheapToChronicleToOffheapToHeap() throws Exception {
        try (JobFixture heap = new JobFixture(Backend.HEAP, tmp.resolve("heap"), MAX_PARALLELISM);
                JobFixture offheap = new JobFixture(Backend.OFFHEAP, tmp.resolve("offheap"), MAX_PARALLELISM);
                JobFixture chronicle = new JobFixture(Backend.CHRONICLE, tmp.resolve("chronicle"), MAX_PARALLELISM)) {
            var subtasks = heap.create(2);
            heap.populate(subtasks, KEYS);
            CompletedCheckpoint sp = Savepoints.write(
                    fs, tmp.resolve("sp-0"), 1, CompressionConfig.DEFAULT, heap.savepointInputs(subtasks));
            JobFixture[] hops = {offheap, chronicle, offheap, heap};
            int[] parallelism = {4, 1, 3, 2};
            for (int i = 0; i < hops.length; i++) {
                var restored = hops[i].restore(fs, sp, parallelism[i]);
                hops[i].assertKeyedState(restored, KEYS);
                JobFixture.assertOperatorState(restored, 2);
                JobFixture.keepOwnSourceOffsets(restored);
                sp = Savepoints.write(
                        fs,
                        tmp.resolve("sp-" + (i + 1)),
                        i + 2,
                        CompressionConfig.DEFAULT,
                        hops[i].savepointInputs(restored));
            }
        }
    }

    @Test
    void savepointIsSelfContainedAndMovable() throws Exception {
        try (JobFixture heap = new JobFixture(Backend.HEAP, tmp.resolve("heap"), MAX_PARALLELISM)) {
            var subtasks = heap.create(2);
            heap.populate(subtasks, KEYS);
            CompletedCheckpoint sp = Savepoints.write(
                    fs, tmp.resolve("sp"), 7, CompressionConfig.DEFAULT, heap.savepointInputs(subtasks));
            assertThat(sp.metadata().savepoint()).isTrue();
            assertThat(sp.metadata().files()).allMatch(f -> f.scope() == FileReference.Scope.EXCLUSIVE);
            Path moved = tmp.resolve("elsewhere/renamed");
            Files.createDirectories(moved.getParent());
            Files.move(tmp.resolve("sp"), moved);
            CompletedCheckpoint loaded = Savepoints.load(fs, moved);
            var restored = heap.restore(fs, loaded, 4);
            heap.assertKeyedState(restored, KEYS);
            try (Stream<Path> files = Files.list(moved)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .contains(CheckpointLayout.METADATA)
                        .noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    @Test
    void existingSavepointIsNeverOverwrittenAndForeignDirectoriesAreNeverDeleted() throws Exception {
        try (JobFixture heap = new JobFixture(Backend.HEAP, tmp.resolve("heap"), MAX_PARALLELISM)) {
            var subtasks = heap.create(1);
            heap.populate(subtasks, 10);
            Savepoints.write(fs, tmp.resolve("sp"), 1, CompressionConfig.DEFAULT, heap.savepointInputs(subtasks));
            assertThatThrownBy(() -> Savepoints.write(
                            fs, tmp.resolve("sp"), 2, CompressionConfig.DEFAULT, heap.savepointInputs(subtasks)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("already holds a savepoint");
            Files.createDirectories(tmp.resolve("home"));
            Files.writeString(tmp.resolve("home/notes.txt"), "mine");
            assertThatThrownBy(() -> Savepoints.write(
                            fs, tmp.resolve("home"), 3, CompressionConfig.DEFAULT, heap.savepointInputs(subtasks)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("entry=notes.txt");
            assertThat(tmp.resolve("home/notes.txt")).exists();
        }
    }

    @Test
    void diskFullWhileWritingLeavesNoSavepoint() throws Exception {
        Path root = tmp.resolve("fsroot");
        FaultInjectingFileSystem faulty = new FaultInjectingFileSystem(root, tmp.resolve("scratch"));
        try (JobFixture heap = new JobFixture(Backend.HEAP, tmp.resolve("heap"), MAX_PARALLELISM)) {
            var subtasks = heap.create(2);
            heap.populate(subtasks, KEYS);
            faulty.setQuotaBytes(faulty.usedBytes() + 3000);
            assertThatThrownBy(() -> Savepoints.write(
                            faulty, root.resolve("sp"), 1, CompressionConfig.DEFAULT, heap.savepointInputs(subtasks)))
                    .isInstanceOf(io.tidemark.StorageSpaceException.class);
            assertThat(faulty.exists(root.resolve("sp"))).isFalse();
            assertThatThrownBy(() -> Savepoints.load(faulty, root.resolve("sp")))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining("metadata file missing");
            faulty.clearFaults();
            var sp = Savepoints.write(
                    faulty, root.resolve("sp"), 2, CompressionConfig.DEFAULT, heap.savepointInputs(subtasks));
            heap.assertKeyedState(heap.restore(faulty, sp, 2), KEYS);
        }
    }
}

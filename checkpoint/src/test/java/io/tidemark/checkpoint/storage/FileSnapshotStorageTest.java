package io.tidemark.checkpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.StorageSpaceException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotHandles;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.FaultInjectingFileSystem;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core snapshot SPI on checkpoint files, end to end with the heap backend. */
class FileSnapshotStorageTest {
    static final int MAX_PARALLELISM = 128;
    static final ValueStateDescriptor<String> VALUE = new ValueStateDescriptor<>("v", StringSerializer.INSTANCE, null);

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

    static KeyedStateBackend<Long> backend(KeyGroupRange range) {
        return new HeapStateBackend()
                .createKeyedStateBackend(new KeyedBackendParameters<>(
                        "op", LongSerializer.INSTANCE, MAX_PARALLELISM, range, TtlClock.SYSTEM, null));
    }

    /** Snapshots a keyed and an operator backend into checkpoint {@code id} and commits the handles as payload. */
    static CompletedCheckpoint checkpoint(
            CheckpointStorage storage, long id, KeyedStateBackend<Long> keyed, OperatorStateBackend operator)
            throws Exception {
        PendingCheckpoint pending = storage.begin(id);
        FileSnapshotStorage files = FileSnapshotStorage.of(pending);
        KeyedStateHandle k = keyed.snapshot(id, SnapshotKind.FULL, files).call();
        OperatorStateHandle o = operator.snapshot(id, files).call();
        List<StreamHandle> streams = new ArrayList<>(k.streams());
        streams.add(o.stream());
        files.referenceStreams(streams);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(payload)) {
            SnapshotHandles.writeKeyed(k, out);
            SnapshotHandles.writeOperator(o, out);
        }
        return pending.commit(payload.toByteArray());
    }

    @Test
    void heapBackendSnapshotRestoresFromFilesAtAnotherParallelism() throws Exception {
        KeyedStateBackend<Long> keyed = backend(KeyGroupRange.all(MAX_PARALLELISM));
        ValueState<String> v = keyed.getOrCreateKeyedState(VALUE);
        for (long key = 0; key < 2000; key++) {
            keyed.setCurrentKey(key);
            v.update("value-" + key);
        }
        OperatorStateBackend operator = new HeapStateBackend().createOperatorStateBackend("src");
        ListState<Long> offsets = operator.getListState(new ListStateDescriptor<>("offsets", LongSerializer.INSTANCE));
        offsets.add(4242L);

        checkpoint(open(), 1, keyed, operator);

        CheckpointStorage reopened = open();
        CompletedCheckpoint cp = reopened.latest();
        assertThat(cp.checkpointId()).isEqualTo(1);
        reopened.verifyFully(cp);
        DataInputStream in =
                new DataInputStream(new ByteArrayInputStream(cp.metadata().payload()));
        KeyedStateHandle k = SnapshotHandles.readKeyed(in);
        OperatorStateHandle o = SnapshotHandles.readOperator(in);
        CheckpointSnapshotReader reader = new CheckpointSnapshotReader(fs, cp);

        int restoredKeys = 0;
        for (KeyGroupRange half : new KeyGroupRange[] {KeyGroupRange.of(0, 63), KeyGroupRange.of(64, 127)}) {
            KeyedStateBackend<Long> restored = backend(half);
            restored.restore(List.of(k), reader);
            ValueState<String> rv = restored.getOrCreateKeyedState(VALUE);
            for (long key = 0; key < 2000; key++) {
                int group = io.tidemark.keygroup.KeyGroupAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
                if (half.contains(group)) {
                    restored.setCurrentKey(key);
                    assertThat(rv.value()).isEqualTo("value-" + key);
                    restoredKeys++;
                }
            }
        }
        assertThat(restoredKeys).isEqualTo(2000);
        OperatorStateBackend restoredOp = new HeapStateBackend().createOperatorStateBackend("src");
        restoredOp.restore(List.of(o), reader, 0, 1);
        assertThat(restoredOp
                        .getListState(new ListStateDescriptor<>("offsets", LongSerializer.INSTANCE))
                        .get())
                .containsExactly(4242L);

        // a flipped bit in a stream file is refused before the backend sees a byte
        StreamHandle stream = k.streams().get(0);
        Path file = cp.directory().resolve(SnapshotStreamNames.fileNameOf(stream.name()));
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 4;
        Files.write(file, b);
        assertThatThrownBy(() -> backend(KeyGroupRange.all(MAX_PARALLELISM)).restore(List.of(k), reader))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void outputsSeekAbortAndDiskFull() throws Exception {
        CheckpointStorage storage = open();
        PendingCheckpoint pending = storage.begin(1);
        FileSnapshotStorage files = FileSnapshotStorage.of(pending);

        SnapshotOutput shared = files.createOutput("keyed/0-127 state", KeyGroupRange.all(MAX_PARALLELISM), true);
        byte[] data = Workload.content(1, 0, 100_000);
        shared.write(data, 0, data.length);
        assertThat(shared.position()).isEqualTo(data.length);
        StreamHandle h = shared.closeAndGetHandle();
        assertThat(h.name()).startsWith("shared/s-keyed_0-127_state.c1.");
        assertThat(h.length()).isEqualTo(data.length);
        try (InputStream in = files.reader().open(h, 77_777)) {
            assertThat(in.readNBytes(5)).containsExactly(java.util.Arrays.copyOfRange(data, 77_777, 77_782));
        }

        SnapshotOutput abandoned = files.createOutput("tmp", KeyGroupRange.EMPTY, false);
        abandoned.write(new byte[1000], 0, 1000);
        abandoned.close();

        fs.setQuotaBytes(fs.usedBytes() + 100);
        SnapshotOutput full = files.createOutput("big", KeyGroupRange.EMPTY, false);
        byte[] noise = new byte[CompressionConfig.DEFAULT_BLOCK_SIZE * 2];
        new java.util.Random(5).nextBytes(noise);
        assertThatThrownBy(() -> {
                    full.write(noise, 0, noise.length);
                    full.closeAndGetHandle();
                })
                .isInstanceOf(StorageSpaceException.class);
        full.abort();
        fs.clearFaults();

        files.referenceStreams(List.of(h));
        CompletedCheckpoint cp = pending.commit(new byte[0]);
        assertThat(cp.metadata().files()).hasSize(1);
        try (var list = Files.list(cp.directory())) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("_metadata");
        }

        // checkpoint 2 references the shared stream of checkpoint 1 without rewriting it (incremental)
        PendingCheckpoint second = storage.begin(2);
        FileSnapshotStorage files2 = FileSnapshotStorage.of(second);
        try (InputStream in = files2.reader().open(h)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        files2.referenceStreams(List.of(h));
        CompletedCheckpoint cp2 = second.commit(new byte[0]);
        assertThat(storage.sharedReferenceCount(SnapshotStreamNames.fileNameOf(h.name())))
                .isEqualTo(2);
        try (InputStream in = new CheckpointSnapshotReader(fs, cp2).open(h)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThatThrownBy(() -> new CheckpointSnapshotReader(fs, cp2).open(new StreamHandle("nope", 1, false)))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("not listed");
    }

    @Test
    void smallOperatorStreamsStayInlineUpToTheThreshold() throws Exception {
        CheckpointStorage storage =
                Restart.open(CheckpointStorageConfig.of(root).withInlineThreshold(100), fs, RestorePolicy.LATEST_ONLY);
        PendingCheckpoint pending = storage.begin(1);
        FileSnapshotStorage files = FileSnapshotStorage.of(pending);
        byte[] data = Workload.content(1, 0, 101);

        SnapshotOutput small = files.createOutput("operator", KeyGroupRange.EMPTY, false);
        small.write(data, 0, 100);
        assertThat(small.position()).isEqualTo(100);
        StreamHandle inline = small.closeAndGetHandle();
        assertThat(inline.name()).startsWith("inline/s-operator.");
        assertThat(inline.length()).isEqualTo(100);

        SnapshotOutput over = files.createOutput("operator", KeyGroupRange.EMPTY, false);
        over.write(data, 0, 60);
        over.write(data, 60, 41); // crosses the threshold: spills to a data file
        assertThat(over.position()).isEqualTo(101);
        StreamHandle spilled = over.closeAndGetHandle();
        assertThat(spilled.name()).startsWith("s-operator.");

        SnapshotOutput keyed = files.createOutput("keyed", KeyGroupRange.of(0, 3), false);
        keyed.write(data, 0, 3);
        StreamHandle keyedHandle = keyed.closeAndGetHandle();
        assertThat(keyedHandle.name()).as("keyed streams are always files").startsWith("s-keyed.");

        try (InputStream in = files.reader().open(inline, 40)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 40, 100));
        }
        files.referenceStreams(List.of(inline, spilled, keyedHandle));
        CompletedCheckpoint cp = pending.commit(new byte[0]);
        assertThat(cp.metadata().inline()).hasSize(1);
        try (var list = Files.list(cp.directory())) {
            assertThat(list.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "_metadata",
                            SnapshotStreamNames.fileNameOf(spilled.name()),
                            SnapshotStreamNames.fileNameOf(keyedHandle.name()));
        }
        CheckpointStorage reopened = Restart.open(CheckpointStorageConfig.of(root), fs, RestorePolicy.LATEST_ONLY);
        CheckpointSnapshotReader reader = new CheckpointSnapshotReader(fs, reopened.latest());
        try (InputStream in = reader.open(inline)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOf(data, 100));
        }
        try (InputStream in = reader.open(spilled)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        reader.verify(inline, null);
        assertThatThrownBy(() -> reader.verify(new StreamHandle(inline.name(), 99, false), null))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("inline stream length differs from its handle")
                .hasMessageContaining("_metadata");
        assertThatThrownBy(() -> reader.open(new StreamHandle("inline/s-nope.1", 1, false)))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("not listed");
        assertThatThrownBy(() -> CheckpointStorageConfig.of(root).withInlineThreshold(-1))
                .isInstanceOf(io.tidemark.ConfigurationException.class)
                .hasMessageContaining("inline threshold out of range");
    }

    @Test
    void savepointStreamsAreSelfContained(@TempDir Path elsewhere) throws Exception {
        PendingCheckpoint sp = CheckpointStorage.beginSavepoint(fs, root.resolve("sp"), 5, CompressionConfig.DEFAULT);
        FileSnapshotStorage files = FileSnapshotStorage.of(sp);
        SnapshotOutput out = files.createOutput("canonical", KeyGroupRange.all(4), true);
        out.write(new byte[] {1, 2, 3}, 0, 3);
        StreamHandle h = out.closeAndGetHandle();
        assertThat(h.name()).doesNotContain("/");
        sp.commit(new byte[0]);
        CompletedCheckpoint loaded = CheckpointStorage.loadSavepoint(fs, root.resolve("sp"));
        try (InputStream in = new CheckpointSnapshotReader(fs, loaded).open(h)) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }
}

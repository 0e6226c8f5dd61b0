package io.tidemark.pipeline.connectors;

import io.tidemark.ConfigurationException;
import io.tidemark.StorageIOException;
import io.tidemark.backend.OperatorStateStore;
import io.tidemark.function.CheckpointListener;
import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.function.SinkFunction;
import io.tidemark.serialization.Serializers;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Exactly-once file sink. Lines go to a hidden in-progress file {@code .part-<subtask>-<n>.inprogress}; at the barrier
 * of checkpoint c the file is fsynced, closed and recorded in operator state (pre-commit); on
 * {@code notifyCheckpointComplete(c)} it is renamed atomically to {@code part-<subtask>-<c>.csv} and the directory
 * fsynced (commit). On restore instance 0 commits what the checkpoint recorded and deletes every other hidden
 * {@code .part-*} file (aborted attempts); a fresh start refuses a directory that already holds committed parts.
 */
public final class TwoPhaseFileSink<T> implements SinkFunction<T>, CheckpointedFunction, CheckpointListener {
    /** A pre-committed part. Public for the record serializer. */
    public record PendingPart(long checkpointId, String hidden, String visible) {}

    private final Path directory;
    private final Function<? super T, String> formatter;
    private final List<PendingPart> pending = new ArrayList<>();
    private ListState<PendingPart> state;
    private int subtask;
    private BufferedWriter writer;
    private FileOutputStream stream;
    private String currentHidden;
    private long committedParts;

    public TwoPhaseFileSink(Path directory, Function<? super T, String> formatter) {
        this.directory = directory;
        this.formatter = formatter;
    }

    @Override
    public void open(RuntimeContext context) throws IOException {
        subtask = context.indexOfThisSubtask();
        Files.createDirectories(directory);
    }

    @Override
    public void initializeState(OperatorStateStore store, boolean restored) throws IOException {
        state = store.getUnionListState(new ListStateDescriptor<>("pending-parts", Serializers.of(PendingPart.class)));
        List<PendingPart> recorded = new ArrayList<>();
        if (restored) {
            for (PendingPart part : state.get()) {
                recorded.add(part);
            }
        }
        state.update(List.of());
        if (subtask != 0) {
            return;
        }
        if (!restored && hasCommittedParts()) {
            throw new ConfigurationException("output directory already holds committed part files: dir=" + directory
                    + "; use an empty directory, or --restore latest to continue the run that wrote them");
        }
        for (PendingPart part : recorded) {
            commit(part);
        }
        deleteHiddenLeftovers();
        fsyncDirectory();
    }

    @Override
    public void invoke(T value, long timestamp) throws IOException {
        if (writer == null) {
            currentHidden = ".part-" + subtask + "-" + System.nanoTime() + ".inprogress";
            stream = new FileOutputStream(directory.resolve(currentHidden).toFile());
            writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        }
        writer.write(formatter.apply(value));
        writer.write('\n');
    }

    @Override
    public void snapshotState(long checkpointId) throws IOException {
        if (writer != null) {
            writer.flush();
            stream.getChannel().force(true);
            writer.close();
            writer = null;
            pending.add(new PendingPart(checkpointId, currentHidden, "part-" + subtask + "-" + checkpointId + ".csv"));
        }
        state.update(new ArrayList<>(pending));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws IOException {
        boolean any = false;
        while (!pending.isEmpty() && pending.get(0).checkpointId() <= checkpointId) {
            commit(pending.remove(0));
            any = true;
        }
        if (any) {
            fsyncDirectory();
        }
    }

    public long committedParts() {
        return committedParts;
    }

    private void commit(PendingPart part) throws IOException {
        Path hidden = directory.resolve(part.hidden());
        if (Files.exists(hidden)) {
            Path visible = directory.resolve(part.visible());
            if (Files.exists(visible)) {
                // rename would replace committed output: checkpoint ids were reused (never expected)
                throw new StorageIOException("committed part already exists, refusing to replace it: file=" + visible
                        + ", pending=" + hidden);
            }
            Files.move(hidden, visible, StandardCopyOption.ATOMIC_MOVE);
            committedParts++;
        }
    }

    private boolean hasCommittedParts() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "part-*.csv")) {
            return files.iterator().hasNext();
        }
    }

    private void deleteHiddenLeftovers() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, ".part-*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void fsyncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}

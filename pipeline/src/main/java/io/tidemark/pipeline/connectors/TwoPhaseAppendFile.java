package io.tidemark.pipeline.connectors;

import io.tidemark.ConfigurationException;
import io.tidemark.StorageIOException;
import io.tidemark.backend.OperatorStateStore;
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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One visible file (e.g. {@code late.csv}) appended exactly once across failures. Lines go to a hidden pending file
 * ({@code .late.csv.<n>.pending}); at the barrier the pending file is fsynced and recorded in operator state with the
 * visible file's length before and after it; on {@code notifyCheckpointComplete} the visible file is truncated to the
 * "before" length and the pending bytes appended (idempotent), then the pending file is deleted. On restore the
 * recorded appends are redone and the file cut to the checkpoint's length, so appends of failed attempts vanish. Owned
 * by one operator thread; one writer per file (use it at parallelism 1).
 */
public final class TwoPhaseAppendFile implements AutoCloseable {
    /** A pre-committed append. Public for the record serializer. */
    public record PendingAppend(long checkpointId, String pendingFile, long baseLength, long finalLength) {}

    private final Path file;
    private final String stateName;
    private final List<PendingAppend> pending = new ArrayList<>();
    private ListState<PendingAppend> state;
    private ListState<Long> lengthState;
    private long expectedLength;
    private BufferedWriter writer;
    private FileOutputStream stream;
    private Path currentPending;
    private long currentBytes;
    private long lines;

    public TwoPhaseAppendFile(Path file, String stateName) {
        this.file = file;
        this.stateName = stateName;
    }

    public long lines() {
        return lines;
    }

    public void initializeState(OperatorStateStore store, boolean restored) throws IOException {
        state = store.getListState(new ListStateDescriptor<>(stateName, Serializers.of(PendingAppend.class)));
        lengthState = store.getListState(new ListStateDescriptor<>(stateName + "-length", Serializers.of(Long.class)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (restored) {
            long length = 0;
            for (Long l : lengthState.get()) {
                length = l;
            }
            for (PendingAppend append : state.get()) {
                commit(append);
            }
            truncate(length);
            expectedLength = length;
        } else {
            Files.deleteIfExists(file);
            expectedLength = 0;
        }
        removeStrayPending();
    }

    /** Appends one line (a newline is added). */
    public void append(String line) throws IOException {
        if (writer == null) {
            currentPending = file.resolveSibling("." + file.getFileName() + "." + System.nanoTime() + ".pending");
            stream = new FileOutputStream(currentPending.toFile());
            writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 14);
            currentBytes = 0;
        }
        writer.write(line);
        writer.write('\n');
        currentBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        lines++;
    }

    /** Pre-commit at the barrier of {@code checkpointId}. */
    public void snapshotState(long checkpointId) throws IOException {
        if (writer != null) {
            writer.flush();
            stream.getChannel().force(true);
            writer.close();
            writer = null;
            long base = expectedLength;
            expectedLength += currentBytes;
            pending.add(
                    new PendingAppend(checkpointId, currentPending.getFileName().toString(), base, expectedLength));
        }
        state.update(new ArrayList<>(pending));
        lengthState.update(List.of(expectedLength));
    }

    public void notifyCheckpointComplete(long checkpointId) throws IOException {
        while (!pending.isEmpty() && pending.get(0).checkpointId() <= checkpointId) {
            commit(pending.remove(0));
        }
    }

    private void commit(PendingAppend append) throws IOException {
        Path source = file.resolveSibling(append.pendingFile());
        if (!Files.exists(source)) {
            return;
        }
        try (FileChannel target = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            if (target.size() < append.baseLength()) {
                throw new StorageIOException("append target shorter than recorded: file=" + file + ", length="
                        + target.size() + ", expected>=" + append.baseLength());
            }
            target.truncate(append.baseLength());
            long position = append.baseLength();
            long size = in.size();
            long done = 0;
            while (done < size) {
                done += in.transferTo(done, size - done, target.position(position + done));
            }
            target.force(true);
        }
        Files.delete(source);
    }

    private void truncate(long length) throws IOException {
        if (!Files.exists(file)) {
            if (length > 0) {
                throw new ConfigurationException("committed file missing: file=" + file + ", expectedLength=" + length
                        + "; the output directory does not belong to the restored checkpoint");
            }
            return;
        }
        try (FileChannel target = FileChannel.open(file, StandardOpenOption.WRITE)) {
            target.truncate(length);
            target.force(true);
        }
    }

    private void removeStrayPending() throws IOException {
        String prefix = "." + file.getFileName() + ".";
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(file.toAbsolutePath().getParent())) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".pending")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Drops the current uncommitted pending file's writer (the file is removed on the next restore). */
    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}

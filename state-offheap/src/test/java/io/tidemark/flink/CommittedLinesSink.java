package io.tidemark.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An exactly-once sink of text lines by two-phase commit, on files. At every checkpoint barrier a writer stages the
 * lines it received since the last one in a new fsynced file under {@code staged/} and hands the file's name to Flink
 * as the checkpoint's committable; once the checkpoint completes, the committer renames the file into
 * {@code committed/}. Lines of a checkpoint that never completes stay staged and are replayed by the restored job, so
 * {@link #committedLines} holds every line exactly once when the job has finished, however often it failed.
 *
 * <p>A committable found already renamed is reported as committed: after a restore, Flink hands the committer the
 * committables of the restored checkpoint again.
 */
final class CommittedLinesSink implements Sink<String>, SupportsCommitter<String> {
    private static final long serialVersionUID = 1L;

    private final String directory;

    /** @param directory the sink's own directory; {@code staged/} and {@code committed/} are created in it */
    CommittedLinesSink(Path directory) {
        this.directory = directory.toString();
    }

    /** Every committed line, in no particular order. */
    static List<String> committedLines(Path directory) throws IOException {
        Path committed = directory.resolve("committed");
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(committed)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(committed)) {
            for (Path file : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    @Override
    public CommittingSinkWriter<String, String> createWriter(WriterInitContext context) throws IOException {
        return new StagingWriter(
                createdDirectory("staged"), context.getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public Committer<String> createCommitter(CommitterInitContext context) throws IOException {
        return new RenamingCommitter(createdDirectory("staged"), createdDirectory("committed"));
    }

    @Override
    public SimpleVersionedSerializer<String> getCommittableSerializer() {
        return new FileNameSerializer();
    }

    private Path createdDirectory(String name) throws IOException {
        return Files.createDirectories(Paths.get(directory, name));
    }

    /** Buffers lines between checkpoints and stages them, fsynced, at each barrier. */
    private static final class StagingWriter implements CommittingSinkWriter<String, String> {
        private final Path staged;
        private final int subtask;
        private final StringBuilder pending = new StringBuilder();
        private long files;

        StagingWriter(Path staged, int subtask) {
            this.staged = staged;
            this.subtask = subtask;
        }

        @Override
        public void write(String line, Context context) {
            pending.append(line).append('\n');
        }

        @Override
        public void flush(boolean endOfInput) {
            // lines are staged in prepareCommit, which follows every flush
        }

        @Override
        public List<String> prepareCommit() throws IOException {
            if (pending.isEmpty()) {
                return List.of();
            }
            // unique across attempts: a restored writer must not overwrite a file staged before the failure
            String name = "lines-" + subtask + '-' + System.nanoTime() + '-' + (files++) + ".txt";
            DurableFiles.writeAndSync(staged.resolve(name), pending.toString().getBytes(StandardCharsets.UTF_8));
            pending.setLength(0);
            return List.of(name);
        }

        @Override
        public void close() {}
    }

    /** Renames staged files into the committed directory; idempotent. */
    private static final class RenamingCommitter implements Committer<String> {
        private final Path staged;
        private final Path committed;

        RenamingCommitter(Path staged, Path committed) {
            this.staged = staged;
            this.committed = committed;
        }

        @Override
        public void commit(Collection<CommitRequest<String>> requests) throws IOException {
            for (CommitRequest<String> request : requests) {
                String name = request.getCommittable();
                Path from = staged.resolve(name);
                Path to = committed.resolve(name);
                if (Files.exists(from)) {
                    DurableFiles.moveAndSync(from, to);
                } else if (Files.exists(to)) {
                    request.signalAlreadyCommitted();
                } else {
                    request.signalFailedWithKnownReason(new UncheckedIOException(new IOException(
                            "committable is neither staged nor committed: file=" + from + ", target=" + to)));
                }
            }
        }

        @Override
        public void close() {}
    }

    /** A file name as UTF-8 bytes, version 1. */
    private static final class FileNameSerializer implements SimpleVersionedSerializer<String> {
        private static final int VERSION = 1;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(String name) {
            return name.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(int version, byte[] bytes) throws IOException {
            if (version != VERSION) {
                throw new IOException("unknown committable version: version=" + version + ", known=" + VERSION);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}

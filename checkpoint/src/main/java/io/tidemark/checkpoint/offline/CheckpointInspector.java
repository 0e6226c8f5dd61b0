package io.tidemark.checkpoint.offline;

import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.InlineStream;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.job.OperatorSnapshot;
import io.tidemark.checkpoint.job.StateDescription;
import io.tidemark.checkpoint.job.SubtaskState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The printable report of {@code tidemark inspect PATH}: what a checkpoint or savepoint holds (operators, subtasks,
 * key-group ranges, states with their types, TTL, serializers and entry counts, key-group sizes, files), after
 * verifying every file. Native keyed snapshots are read through their backend's converter ({@link
 * OfflineSnapshot#canonical}).
 * Stateless; any thread.
 */
public final class CheckpointInspector {
    private CheckpointInspector() {}

    /**
     * Describes the checkpoint ({@code chk-N}) or savepoint directory {@code directory}, its {@code _metadata}, or a
     * checkpoint root (its newest checkpoint).
     *
     * @throws io.tidemark.CorruptCheckpointException if {@code _metadata} or any file fails verification
     */
    public static String describe(Path directory) {
        return describe(NioCheckpointFileSystem.INSTANCE, directory);
    }

    public static String describe(CheckpointFileSystem fs, Path directory) {
        OfflineSnapshot snapshot = OfflineSnapshot.open(fs, directory);
        snapshot.verifyAll();
        StringBuilder out = new StringBuilder();
        var metadata = snapshot.checkpoint().metadata();
        long bytes = 0;
        for (FileReference f : metadata.files()) {
            bytes += f.length();
        }
        out.append(metadata.savepoint() ? "savepoint " : "checkpoint ")
                .append(metadata.checkpointId())
                .append(" at ")
                .append(Instant.ofEpochMilli(metadata.timestampMillis()))
                .append('\n')
                .append("  directory: ")
                .append(snapshot.checkpoint().directory())
                .append('\n')
                .append("  files: ")
                .append(metadata.files().size())
                .append(", ")
                .append(bytes)
                .append(" bytes on disk, all verified (length, CRC32C, header, blocks)\n");
        if (!metadata.inline().isEmpty()) {
            long inlineBytes = 0;
            for (InlineStream s : metadata.inline()) {
                inlineBytes += s.length();
            }
            out.append("  inline streams: ")
                    .append(metadata.inline().size())
                    .append(", ")
                    .append(inlineBytes)
                    .append(" bytes inside _metadata (covered by its CRC32C)\n");
        }
        for (OperatorSnapshot o : snapshot.operators()) {
            describeOperator(snapshot, o, out);
        }
        return out.toString();
    }

    private static void describeOperator(OfflineSnapshot snapshot, OperatorSnapshot o, StringBuilder out) {
        out.append("operator ")
                .append(o.operatorId())
                .append(": parallelism=")
                .append(o.parallelism())
                .append(", maxParallelism=")
                .append(o.maxParallelism())
                .append('\n');
        out.append("  states:\n");
        for (OfflineSnapshot.StateSummary summary : snapshot.describeStates(o.operatorId())) {
            StateDescription d = summary.description();
            out.append("    ")
                    .append(d.scope())
                    .append(' ')
                    .append(d.name())
                    .append(": ")
                    .append(d.type());
            if (!d.serializers().isEmpty()) {
                out.append(" (").append(d.serializers()).append(')');
            }
            if (summary.entries() >= 0) {
                out.append(", entries=").append(summary.entries());
            }
            out.append('\n');
        }
        out.append("  subtasks:\n");
        for (SubtaskState s : o.subtasks()) {
            out.append("    ").append(s.subtaskIndex()).append(':');
            for (KeyedStateHandle h : s.keyedHandles()) {
                out.append(" keyed ").append(h.format()).append(' ').append(h.keyGroupRange());
            }
            long operatorBytes = 0;
            for (var h : s.operatorHandles()) {
                operatorBytes += h.stream().length();
            }
            out.append(s.keyedHandles().isEmpty() ? " " : ", ")
                    .append("operator state ")
                    .append(operatorBytes)
                    .append(" bytes\n");
        }
        List<OfflineSnapshot.KeyGroupSpan> spans = snapshot.keyGroups(o.operatorId());
        if (!spans.isEmpty()) {
            long total = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            for (OfflineSnapshot.KeyGroupSpan span : spans) {
                total += span.bytes();
                min = Math.min(min, span.bytes());
                max = Math.max(max, span.bytes());
            }
            out.append("  key groups: ")
                    .append(spans.size())
                    .append(" spans, ")
                    .append(total)
                    .append(" bytes uncompressed (per span min=")
                    .append(min)
                    .append(", max=")
                    .append(max)
                    .append(")\n");
            for (OfflineSnapshot.KeyGroupSpan span : spans) {
                out.append("    ")
                        .append(span.range())
                        .append(" subtask ")
                        .append(span.subtaskIndex())
                        .append(": ")
                        .append(span.bytes())
                        .append(" bytes\n");
            }
        }
    }

    /** {@code java ... CheckpointInspector PATH}: prints the report. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: CheckpointInspector <checkpoint or savepoint directory>");
            System.exit(2);
        }
        System.out.print(describe(Path.of(args[0])));
    }
}

package io.tidemark.pipeline.cli;

import io.tidemark.backend.canonical.CanonicalFormat;
import io.tidemark.backend.canonical.CanonicalSnapshotReader;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.pipeline.checkpoint.CheckpointMetadata;
import io.tidemark.pipeline.checkpoint.CheckpointStorage;
import io.tidemark.pipeline.checkpoint.TaskState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tidemark inspect PATH}: a checkpoint's operators, instances, key groups, state names, serializers, sizes. */
@Command(name = "inspect", description = "Describes a checkpoint: states, key groups, sizes, serializers.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "PATH",
            description = "A checkpoint directory (chk-N), its _metadata file, or a checkpoint root (newest is shown).")
    Path path;

    @Override
    public Integer call() {
        CheckpointStorage.Located located = CheckpointStorage.locate(path);
        CheckpointMetadata metadata = located.metadata();
        String chk = located.location();
        System.out.println("checkpoint " + metadata.checkpointId() + " at " + chk);
        System.out.println("  taken " + Instant.ofEpochMilli(metadata.timestampMillis()) + ", maxParallelism "
                + metadata.maxParallelism() + ", instances " + metadata.tasks().size());
        long total = 0;
        for (TaskState task : metadata.tasks()) {
            long op = task.operatorState().stream().length();
            total += op;
            StringBuilder line = new StringBuilder("  " + task.operator() + "#" + task.subtask() + " (parallelism "
                    + task.parallelism() + "): operator state " + op + " B");
            if (task.keyed() != null) {
                long keyed = 0;
                for (StreamHandle s : task.keyed().streams()) {
                    keyed += s.length();
                }
                total += keyed;
                line.append(", keyed state ")
                        .append(keyed)
                        .append(" B, format ")
                        .append(task.keyed().format())
                        .append(", key groups ")
                        .append(task.keyed().keyGroupRange().startKeyGroup())
                        .append("..")
                        .append(task.keyed().keyGroupRange().endKeyGroup());
            }
            System.out.println(line);
            if (task.keyed() != null
                    && CanonicalFormat.FORMAT_NAME.equals(task.keyed().format())) {
                CanonicalSnapshotReader.Header header = CanonicalSnapshotReader.readHeader(
                        task.keyed(), located.reader(), Thread.currentThread().getContextClassLoader());
                System.out.println(
                        "      key serializer " + header.keySerializer().describe());
                for (StateMetaInfo state : header.states()) {
                    System.out.println("      state " + state.name() + " " + state.type() + (state.ttl() ? " ttl" : "")
                            + ", namespace "
                            + state.namespaceSerializer().describe() + ", value "
                            + state.valueSerializer().describe());
                }
            }
        }
        System.out.println("  total " + total + " B");
        return Launcher.EXIT_OK;
    }
}

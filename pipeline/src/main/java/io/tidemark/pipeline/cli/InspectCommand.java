package io.tidemark.pipeline.cli;

import io.tidemark.checkpoint.offline.CheckpointInspector;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tidemark inspect PATH}: prints {@link CheckpointInspector}'s report of a checkpoint or savepoint (operators,
 * subtasks, key groups, every state with its type, serializers, TTL and entry count, sizes), after verifying every
 * file. Native (offheap) snapshots are read through the backend's snapshot converter on the class path.
 */
@Command(
        name = "inspect",
        description =
                "Describes a checkpoint or savepoint: states, types, serializers, TTL, entries, key groups, sizes.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "PATH",
            description = "A checkpoint (chk-N) or savepoint directory, its _metadata file, or a checkpoint root"
                    + " (newest is shown).")
    Path path;

    @Override
    public Integer call() {
        System.out.print(CheckpointInspector.describe(path));
        return Launcher.EXIT_OK;
    }
}

package io.tidemark.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Not available yet: it needs the job's HTTP control port, which comes with the queryable-state issue. */
@Command(
        name = "savepoint",
        description = "Takes a savepoint of a running job (needs the HTTP port: not in this build).")
final class SavepointCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "HTTP port of the running job.")
    int port;

    @Option(names = "--target", description = "Directory for the savepoint.")
    String target;

    @Override
    public Integer call() {
        System.err.println("tidemark: savepoint is not available in this build: the job control port (--port) comes"
                + " with the queryable-state issue; use the retained checkpoints (tidemark inspect) instead");
        return Launcher.EXIT_FAILURE;
    }
}

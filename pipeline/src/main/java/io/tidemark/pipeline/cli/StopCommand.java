package io.tidemark.pipeline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tidemark stop --port PORT [--savepoint DIR]}: stops a running job, optionally after a savepoint. */
@Command(name = "stop", description = "Stops a running job (started with --port), optionally with a savepoint.")
final class StopCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Control port of the running job.")
    int port;

    @Option(names = "--savepoint", description = "Take a final savepoint into this directory first; prints its path.")
    Path savepoint;

    @Override
    public Integer call() {
        return ControlClient.post(
                port,
                "/stop",
                "savepoint",
                savepoint == null ? null : savepoint.toAbsolutePath().toString());
    }
}

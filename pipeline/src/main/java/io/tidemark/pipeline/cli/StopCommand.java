package io.tidemark.pipeline.cli;

import io.tidemark.pipeline.query.ControlEndpoint;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tidemark stop --port PORT [--host HOST] [--auth-token-file FILE] [--savepoint DIR]}: stops a running job, optionally after a savepoint. */
@Command(name = "stop", description = "Stops a running job (started with --port), optionally with a savepoint.")
final class StopCommand implements Callable<Integer> {
    @Mixin
    ControlEndpoint endpoint = new ControlEndpoint();

    @Option(names = "--savepoint", description = "Take a final savepoint into this directory first; prints its path.")
    Path savepoint;

    @Override
    public Integer call() {
        return ControlClient.post(
                endpoint,
                "/stop",
                "savepoint",
                savepoint == null ? null : savepoint.toAbsolutePath().toString());
    }
}

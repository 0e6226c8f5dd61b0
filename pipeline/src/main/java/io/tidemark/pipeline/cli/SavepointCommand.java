package io.tidemark.pipeline.cli;

import io.tidemark.pipeline.query.ControlEndpoint;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tidemark savepoint --port PORT [--host HOST] [--auth-token-file FILE] [--target DIR]}: a savepoint of a running job; prints its directory. */
@Command(name = "savepoint", description = "Takes a savepoint of a running job (started with --port); prints its path.")
final class SavepointCommand implements Callable<Integer> {
    @Mixin
    ControlEndpoint endpoint = new ControlEndpoint();

    @Option(names = "--target", description = "Directory that receives savepoint-<id>/ (default: ./savepoints).")
    Path target = Path.of("savepoints");

    @Override
    public Integer call() {
        return ControlClient.post(
                endpoint, "/savepoint", "target", target.toAbsolutePath().toString());
    }
}

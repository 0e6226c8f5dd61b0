package io.tidemark.pipeline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tidemark savepoint --port PORT [--target DIR]}: a savepoint of a running job; prints its directory. */
@Command(name = "savepoint", description = "Takes a savepoint of a running job (started with --port); prints its path.")
final class SavepointCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Control port of the running job.")
    int port;

    @Option(names = "--target", description = "Directory that receives savepoint-<id>/ (default: ./savepoints).")
    Path target = Path.of("savepoints");

    @Override
    public Integer call() {
        return ControlClient.post(
                port, "/savepoint", "target", target.toAbsolutePath().toString());
    }
}

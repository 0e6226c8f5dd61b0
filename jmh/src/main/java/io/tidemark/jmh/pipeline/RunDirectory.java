package io.tidemark.jmh.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A fresh temporary state directory for one run, deleted with everything in it on {@link #close()}. Cold path. */
final class RunDirectory implements AutoCloseable {
    private final Path path;

    RunDirectory() throws IOException {
        this.path = Files.createTempDirectory("tidemark-pipeline-latency-");
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(path)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}

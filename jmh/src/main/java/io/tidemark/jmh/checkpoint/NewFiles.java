package io.tidemark.jmh.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** Counts the bytes of the regular files created below a directory since an earlier listing. Cold path. */
final class NewFiles {
    private NewFiles() {}

    static Set<Path> list(Path root) {
        Set<Path> files = new HashSet<>();
        if (!Files.exists(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint files: root=" + root, e);
        }
        return files;
    }

    static long bytesSince(Path root, Set<Path> before) {
        long bytes = 0;
        for (Path file : list(root)) {
            if (!before.contains(file)) {
                try {
                    bytes += Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot size checkpoint file: file=" + file, e);
                }
            }
        }
        return bytes;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p :
                    walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

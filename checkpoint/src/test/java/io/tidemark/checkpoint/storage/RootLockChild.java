package io.tidemark.checkpoint.storage;

import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import java.nio.file.Path;

/** Child JVM of {@link RootLockTest}: tries to open the root given as argument; prints {@code LOCKED} or {@code OPENED}. */
public final class RootLockChild {
    private RootLockChild() {}

    public static void main(String[] args) {
        try (CheckpointStorage s = CheckpointStorage.open(
                CheckpointStorageConfig.of(Path.of(args[0])),
                NioCheckpointFileSystem.INSTANCE,
                RestorePolicy.LATEST_ONLY)) {
            System.out.println("OPENED " + s.layout().root());
        } catch (io.tidemark.checkpoint.fs.DirectoryLockedException e) {
            System.out.println("LOCKED " + e.getMessage());
        }
    }
}

package io.tidemark.checkpoint.storage;

import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import java.nio.file.Path;

/**
 * Child JVM of {@link CrashPointTest}: opens the checkpoint root given as first argument and writes checkpoints {@code
 * from..to} of the {@link Workload}, printing {@code CHECKPOINT_COMPLETED id=N} after each commit returned. Started
 * with {@code -Dtidemark.crashpoint=...} it halts inside the commit protocol.
 */
public final class CrashPointChild {
    private CrashPointChild() {}

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        long from = Long.parseLong(args[1]);
        long to = Long.parseLong(args[2]);
        CheckpointStorage storage = CheckpointStorage.open(
                CheckpointStorageConfig.of(root), NioCheckpointFileSystem.INSTANCE, RestorePolicy.LATEST_ONLY);
        System.out.println("READY");
        for (long id = from; id <= to; id++) {
            Workload.write(storage, id, true);
            System.out.println("CHECKPOINT_COMPLETED id=" + id);
        }
        System.out.flush();
    }
}

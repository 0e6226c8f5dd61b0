package io.tidemark.checkpoint.storage;

import io.tidemark.TidemarkException;
import io.tidemark.checkpoint.format.FileKind;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child JVM of {@link FileSizeLimitTest}, run under {@code ulimit -f}: commits a small checkpoint 1, then tries a
 * checkpoint 2 with a file larger than the limit and prints how it failed and what is left.
 */
public final class FileSizeLimitChild {
    private FileSizeLimitChild() {}

    public static void main(String[] args) {
        CheckpointStorage storage = CheckpointStorage.open(
                CheckpointStorageConfig.of(Path.of(args[0])),
                NioCheckpointFileSystem.INSTANCE,
                RestorePolicy.LATEST_ONLY);
        Workload.write(storage, 1, true);
        PendingCheckpoint p = storage.begin(2);
        byte[] big = new byte[Integer.parseInt(args[1])];
        new Random(2).nextBytes(big);
        try {
            Workload.writeFile(
                    p, "task-0.keyed", FileReference.Scope.EXCLUSIVE, FileKind.KEYED_STATE, Workload.range(0), big);
            p.commit(new byte[0]);
            System.out.println("UNEXPECTED commit succeeded");
        } catch (TidemarkException e) {
            p.abort(e);
            System.out.println("FAILED " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        System.out.println("LATEST " + storage.latest().checkpointId());
        System.out.flush();
    }
}

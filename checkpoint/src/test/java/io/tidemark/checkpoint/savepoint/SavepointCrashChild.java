package io.tidemark.checkpoint.savepoint;

import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.checkpoint.testing.JobFixture;
import java.nio.file.Path;

/**
 * Child JVM of {@link SavepointCrashTest}. {@code savepoint DIR WORK}: writes the fixture's savepoint into DIR. {@code
 * restore ROOT WORK P}: opens the checkpoint root (taking its lock) and restores its latest checkpoint at parallelism
 * P. Started with {@code -Dtidemark.crashpoint=...} it halts at that point; otherwise it prints {@code DONE}.
 */
public final class SavepointCrashChild {
    static final int MAX_PARALLELISM = 16;
    static final int KEYS = 120;

    private SavepointCrashChild() {}

    public static void main(String[] args) throws Exception {
        var fs = NioCheckpointFileSystem.INSTANCE;
        try (JobFixture job = new JobFixture(JobFixture.Backend.HEAP, Path.of(args[2]), MAX_PARALLELISM)) {
            System.out.println("READY");
            if (args[0].equals("savepoint")) {
                var subtasks = job.create(2);
                job.populate(subtasks, KEYS);
                Savepoints.write(fs, Path.of(args[1]), 1, CompressionConfig.DEFAULT, job.savepointInputs(subtasks));
            } else {
                try (CheckpointStorage storage = CheckpointStorage.open(
                        CheckpointStorageConfig.of(Path.of(args[1])), fs, RestorePolicy.LATEST_ONLY)) {
                    var restored = job.restore(fs, storage.latest(), Integer.parseInt(args[3]));
                    job.assertKeyedState(restored, KEYS);
                }
            }
        }
        System.out.println("DONE");
        System.out.flush();
    }
}

package io.tidemark.checkpoint.storage;

import io.tidemark.CorruptCheckpointException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link CheckpointStorage#open} found and did: the verified checkpoints it keeps (oldest first), the corrupt
 * ones it skipped because fallback was requested (the caller must report them), and what it deleted as leftovers of
 * aborted or crashed checkpoints.
 */
public record RecoveryReport(
        List<CompletedCheckpoint> retained, List<CorruptCheckpointException> skippedCorrupt, List<Path> deleted) {
    public RecoveryReport {
        retained = List.copyOf(retained);
        skippedCorrupt = List.copyOf(skippedCorrupt);
        deleted = List.copyOf(deleted);
    }
}

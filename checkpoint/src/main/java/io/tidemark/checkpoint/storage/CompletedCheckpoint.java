package io.tidemark.checkpoint.storage;

import io.tidemark.checkpoint.format.CheckpointMetadata;
import io.tidemark.checkpoint.format.FileReference;
import java.nio.file.Path;

/**
 * A checkpoint (or savepoint) whose {@code _metadata} is durable and verified. Immutable.
 *
 * @param directory the checkpoint's own directory
 * @param sharedDirectory where {@link FileReference.Scope#SHARED} files live; {@code null} for a savepoint
 */
public record CompletedCheckpoint(Path directory, Path sharedDirectory, CheckpointMetadata metadata) {
    public long checkpointId() {
        return metadata.checkpointId();
    }

    /** The path of a file this checkpoint references. */
    public Path resolve(FileReference file) {
        if (file.scope() == FileReference.Scope.SHARED) {
            if (sharedDirectory == null) {
                throw new IllegalArgumentException("a savepoint has no shared files: " + file.name());
            }
            return sharedDirectory.resolve(file.name());
        }
        return directory.resolve(file.name());
    }
}

package io.tidemark.checkpoint.format;

import java.util.List;
import java.util.Objects;

/**
 * The content of a {@code _metadata} file: which checkpoint, when, every file it references and an opaque payload
 * (the state handles, whose meaning belongs to the state-backend SPI). Immutable; {@link #payload()} must not be
 * modified by callers.
 */
public record CheckpointMetadata(
        long checkpointId, long timestampMillis, boolean savepoint, List<FileReference> files, byte[] payload) {
    public CheckpointMetadata {
        files = List.copyOf(files);
        Objects.requireNonNull(payload, "payload");
        if (checkpointId < 0) {
            throw new IllegalArgumentException("negative checkpoint id: checkpointId=" + checkpointId);
        }
        if (savepoint) {
            for (FileReference f : files) {
                if (f.scope() != FileReference.Scope.EXCLUSIVE) {
                    throw new IllegalArgumentException("a savepoint is self-contained, shared file: " + f.name());
                }
            }
        }
    }

    /** The referenced file called {@code name} in {@code scope}, or {@code null}. */
    public FileReference file(String name, FileReference.Scope scope) {
        for (FileReference f : files) {
            if (f.name().equals(name) && f.scope() == scope) {
                return f;
            }
        }
        return null;
    }
}

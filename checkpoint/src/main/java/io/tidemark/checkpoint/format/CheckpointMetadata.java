package io.tidemark.checkpoint.format;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The content of a {@code _metadata} file: which checkpoint, when, every file it references, the small streams kept
 * inline (see {@link InlineStream}) and an opaque payload (the state handles, whose meaning belongs to the
 * state-backend SPI). Immutable; {@link #payload()} must not be modified by callers.
 */
public record CheckpointMetadata(
        long checkpointId,
        long timestampMillis,
        boolean savepoint,
        List<FileReference> files,
        byte[] payload,
        List<InlineStream> inline) {
    public CheckpointMetadata {
        files = List.copyOf(files);
        inline = List.copyOf(inline);
        Objects.requireNonNull(payload, "payload");
        Set<String> names = new HashSet<>();
        for (InlineStream s : inline) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("inline stream listed twice: name=" + s.name());
            }
        }
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

    /** Metadata without inline streams (the only kind format version 1 can hold). */
    public CheckpointMetadata(
            long checkpointId, long timestampMillis, boolean savepoint, List<FileReference> files, byte[] payload) {
        this(checkpointId, timestampMillis, savepoint, files, payload, List.of());
    }

    /** The inline stream called {@code name}, or {@code null}. */
    public InlineStream inline(String name) {
        for (InlineStream s : inline) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
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

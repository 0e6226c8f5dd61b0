package io.tidemark.checkpoint.coordinator;

import io.tidemark.backend.snapshot.StreamHandle;
import java.util.List;
import java.util.Objects;

/**
 * One task's acknowledgement of a checkpoint: its serialized state handles (opaque to the coordinator) and every
 * stream those handles reference, including shared streams of earlier checkpoints.
 */
public record TaskSnapshot(int taskIndex, byte[] state, List<StreamHandle> streams) {
    public TaskSnapshot {
        Objects.requireNonNull(state, "state");
        streams = List.copyOf(streams);
        if (taskIndex < 0) {
            throw new IllegalArgumentException("negative task index: " + taskIndex);
        }
    }
}

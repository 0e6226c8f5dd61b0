package io.tidemark.checkpoint.coordinator;

import io.tidemark.backend.snapshot.SnapshotStorage;

/**
 * Starts a checkpoint in the running job (the pipeline injects barrier {@code checkpointId} at every source). Tasks
 * write their snapshot streams to {@code storage} and then call {@link CheckpointCoordinator#acknowledge} or {@link
 * CheckpointCoordinator#decline}. Called outside the coordinator's lock; must not block.
 */
@FunctionalInterface
public interface CheckpointTrigger {
    void trigger(long checkpointId, SnapshotStorage storage);
}

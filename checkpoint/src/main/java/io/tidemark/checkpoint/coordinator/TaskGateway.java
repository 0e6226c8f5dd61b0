package io.tidemark.checkpoint.coordinator;

import io.tidemark.backend.snapshot.SnapshotStorage;

/**
 * How the {@link CheckpointCoordinator} reaches the running job's tasks. The pipeline injects barrier {@code
 * checkpointId} at every source; tasks write their snapshot streams to {@code storage} (see {@link
 * CheckpointCoordinator#storageFor}) and then call {@link CheckpointCoordinator#acknowledge} or {@link
 * CheckpointCoordinator#decline}.
 *
 * <p>Every method is called outside the coordinator's lock, from the thread that polled or ended the checkpoint; each
 * must only enqueue, never block.
 */
@FunctionalInterface
public interface TaskGateway {
    /** Starts checkpoint or savepoint {@code checkpointId} at the sources. */
    void triggerCheckpoint(long checkpointId, SnapshotStorage storage);

    /** Checkpoint {@code checkpointId} is durable (two-phase-commit sinks commit now). Not called for savepoints. */
    default void notifyCheckpointComplete(long checkpointId) {}

    /** Checkpoint {@code checkpointId} was aborted or expired; its files are gone. Not called for savepoints. */
    default void notifyCheckpointAborted(long checkpointId) {}

    /**
     * The final checkpoint after {@link CheckpointCoordinator#inputFinished()} is durable: the sources may now end
     * their input downstream.
     */
    default void endInput() {}
}

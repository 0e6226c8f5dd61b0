package io.tidemark.checkpoint.coordinator;

/**
 * Told how each checkpoint ended: {@link CheckpointOutcome.Completed} only after its {@code _metadata} is durable (so
 * two-phase-commit sinks may commit). Called on the thread that ended the checkpoint (an acknowledging task's thread
 * or the thread calling {@link CheckpointCoordinator#poll()}), never under the coordinator's lock; must not block long.
 */
@FunctionalInterface
public interface CheckpointOutcomeListener {
    void onOutcome(CheckpointOutcome outcome);
}

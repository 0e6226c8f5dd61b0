/**
 * The checkpoint coordinator: triggers checkpoints on a schedule ({@code TriggerSchedule}, {@code
 * CheckpointTrigger}), tracks acknowledgements of the tasks of an in-flight checkpoint, completes or aborts it through
 * checkpoint storage and tells listeners ({@link io.tidemark.checkpoint.coordinator.CheckpointOutcome}).
 *
 * <p>May import {@code io.tidemark}, {@code backend.snapshot} and {@code checkpoint.storage}; never a backend or the
 * pipeline.
 */
package io.tidemark.checkpoint.coordinator;

/**
 * The checkpoint coordinator: triggers checkpoints on a schedule ({@code TriggerSchedule}), savepoints on request and
 * the final checkpoint of a bounded input, reaches the tasks through a {@code TaskGateway}, tracks acknowledgements of
 * the tasks of an in-flight checkpoint, completes or aborts it through checkpoint storage and tells listeners ({@link
 * io.tidemark.checkpoint.coordinator.CheckpointOutcome}). The pipeline and the launcher use this coordinator.
 *
 * <p>May import {@code io.tidemark}, {@code backend.snapshot} and {@code checkpoint.storage}; never a backend or the
 * pipeline.
 */
package io.tidemark.checkpoint.coordinator;

/**
 * The dataflow runtime: operator tasks on their own (optionally pinned) threads joined by Disruptor rings
 * ({@code Channel}, {@code StreamEvent}), key-group routing ({@code EdgeOutput}), barriers and alignment,
 * watermarks, restarts ({@link io.tidemark.pipeline.runtime.JobRunner}) and the job's checkpoint history. Backends
 * are found by name through core's {@code StateBackendFactory}.
 *
 * <p>Checkpoints run on the checkpoint module (coordinator, storage, job snapshot payload, restore planner, directory
 * lock).
 *
 * <p>May import core, the checkpoint module, the API ({@code io.tidemark.pipeline}), {@code pipeline.function},
 * {@code pipeline.operator}, {@code pipeline.queryable}, {@code pipeline.metrics}, Disruptor, Agrona and OpenHFT
 * affinity.
 */
package io.tidemark.pipeline.runtime;

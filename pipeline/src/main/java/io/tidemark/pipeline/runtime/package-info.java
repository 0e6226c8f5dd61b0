/**
 * The dataflow runtime: operator tasks on their own (optionally pinned) threads joined by Disruptor rings,
 * key-group routing ({@code EdgeOutput}), barriers and alignment, watermarks, timers, windows, restarts
 * ({@link io.tidemark.pipeline.runtime.JobRunner}); backends are
 * found by name through core's {@code StateBackendFactory}.
 *
 * Checkpoints run on the checkpoint module (coordinator, storage, job snapshot payload, restore planner, directory
 * lock).
 *
 * <p>May import core, the checkpoint module, {@code state.offheap} (the default backend), {@code pipeline.metrics},
 * Disruptor, Agrona and OpenHFT affinity. Today it also imports {@code pipeline.query} (query targets), a cycle that
 * issue 12's layout work removes.
 */
package io.tidemark.pipeline.runtime;

/**
 * The dataflow runtime: operator tasks on their own (optionally pinned) threads joined by Disruptor rings,
 * key-group routing ({@code EdgeOutput}), barriers and alignment, watermarks, timers, windows, restarts
 * ({@link io.tidemark.pipeline.runtime.JobRunner}) and the backend registry.
 *
 * <p>May import core, {@code state.offheap} (the default backend), {@code pipeline.metrics}, Disruptor, Agrona and
 * OpenHFT affinity. Today it also imports {@code pipeline.checkpoint} and {@code pipeline.query} (query targets), the
 * latter a cycle that issue 12's layout work removes.
 */
package io.tidemark.pipeline.runtime;

/**
 * The shared-memory view: a publisher that mirrors the values written to queryable value states into Chronicle
 * Map files, and {@link io.tidemark.pipeline.shm.TidemarkStateReader} for other JVMs on the host. It publishes what the
 * operators wrote; it never reads state.
 *
 * <p>May import {@code io.tidemark}, {@code pipeline.queryable} (query targets, their change trackers, the JSON
 * mapper), Jackson and Chronicle Map.
 */
package io.tidemark.pipeline.shm;

/**
 * Offline tools over checkpoints and savepoints: {@link io.tidemark.checkpoint.offline.OfflineSnapshot} (lists
 * operators and states, iterates entries, read-only: it never changes a file), {@link
 * io.tidemark.checkpoint.offline.CheckpointInspector} (the {@code inspect} report) and {@link
 * io.tidemark.checkpoint.offline.SavepointTransform} (rewrites a savepoint).
 *
 * <p>May import {@code io.tidemark}, {@code backend.canonical}, {@code backend.operator}, {@code backend.snapshot},
 * {@code keygroup}, {@code serialization}, Agrona and the other {@code checkpoint} packages.
 */
package io.tidemark.checkpoint.offline;

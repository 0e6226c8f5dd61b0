/**
 * Savepoints: canonical, self-contained, relocatable snapshots of a job, written next to but never inside the
 * checkpoint root ({@link io.tidemark.checkpoint.savepoint.Savepoints}).
 *
 * <p>May import {@code io.tidemark}, {@code backend}, {@code backend.snapshot} and the {@code checkpoint} packages
 * {@code format}, {@code fs}, {@code job}, {@code offline} and {@code storage}.
 */
package io.tidemark.checkpoint.savepoint;

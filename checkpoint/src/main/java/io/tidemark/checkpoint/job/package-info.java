/**
 * A job snapshot as the checkpoint payload sees it: operators, their subtasks' keyed and operator state handles
 * ({@link io.tidemark.checkpoint.job.SubtaskState} and its codec) and the states they hold.
 *
 * <p>May import {@code io.tidemark}, {@code backend.snapshot}, {@code checkpoint.coordinator} and
 * {@code checkpoint.storage}.
 */
package io.tidemark.checkpoint.job;

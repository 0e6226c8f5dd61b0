/**
 * Checkpoint and restore benchmarks, Tidemark's backends and checkpoint storage side by side with Flink's: the
 * synchronous pause, the asynchronous part, bytes written ({@code CheckpointRecorder} appends per-trial figures to
 * {@code jmh/target/checkpoint-results.tsv} unless told otherwise). Results in {@code docs/benchmarks-checkpoint.md}.
 *
 * <p>May import core, the checkpoint module, {@code state.offheap}, Flink, JMH and the other {@code jmh} packages.
 */
package io.tidemark.jmh.checkpoint;

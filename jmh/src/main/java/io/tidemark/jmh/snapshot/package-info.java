/**
 * The snapshot-pause benchmark command ({@code SnapshotPause}, a main class in {@code benchmarks.jar}): times the
 * synchronous part of a keyed backend's snapshot over 1,000+ samples with HdrHistogram, optionally with the previous
 * asynchronous part still running on another thread; Tidemark's off-heap backend and Flink's heap backend side by side.
 * Results and commands in {@code docs/benchmarks.md}.
 *
 * <p>May import core, {@code state.offheap}, Flink, HdrHistogram and the other {@code jmh} packages.
 */
package io.tidemark.jmh.snapshot;

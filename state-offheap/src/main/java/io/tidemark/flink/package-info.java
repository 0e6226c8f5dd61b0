/**
 * {@code TidemarkStateBackend}: the off-heap store ({@code io.tidemark.state.offheap}) as a state backend inside
 * Apache Flink 2.3. Flink's states keep Flink's serialized bytes in the store's states; snapshots are Flink's canonical
 * full-snapshot format or, for incremental checkpoints, the store's native snapshots as Flink shared state. See
 * {@code docs/flink.md}.
 *
 * <p>The only package of the engine that imports Flink, whose artifacts are {@code provided}: nothing else in the
 * engine may import this package.
 */
package io.tidemark.flink;

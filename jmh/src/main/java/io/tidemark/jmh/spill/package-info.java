/**
 * Benchmarks of state larger than the resident memory budget of the {@code offheap} backend (spill to disk).
 *
 * <p>May import {@code state.offheap}, JMH and the {@code jmh} backend and key packages.
 */
package io.tidemark.jmh.spill;

/**
 * The common face the state benchmarks drive ({@code BenchmarkBackend} and its state shapes) and the registry
 * that creates each backend under test by name.
 *
 * <p>May import core, {@code state.offheap}, {@code state.chronicle}, {@code io.tidemark.flink}'s options and the adapter
 * sub-packages.
 */
package io.tidemark.jmh.backend;

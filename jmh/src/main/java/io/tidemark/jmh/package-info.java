/**
 * JMH benchmarks of Tidemark against Apache Flink's state backends, Chronicle Map and Agrona; {@code
 * BenchmarkLauncher} is the jar's entry point. Results and commands are in {@code docs/benchmarks.md}.
 *
 * <p>May import everything: the module is a leaf, nothing depends on it.
 */
package io.tidemark.jmh;

/**
 * Apache Flink's HashMap and RocksDB keyed state backends, and Tidemark's Flink state backend, behind the benchmark
 * backend face.
 *
 * <p>May import {@code jmh.backend}, {@code jmh.keys}, {@code io.tidemark.flink} and Flink.
 */
package io.tidemark.jmh.backend.flink;

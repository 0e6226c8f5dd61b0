/**
 * Apache Flink's HashMap and RocksDB keyed state backends behind the benchmark backend face.
 *
 * <p>May import {@code jmh.backend}, {@code jmh.keys} and Flink.
 */
package io.tidemark.jmh.backend.flink;

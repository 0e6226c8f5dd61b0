/**
 * Agrona's primitive hash maps behind the benchmark backend face: the baseline of a plain in-memory map.
 *
 * <p>May import {@code jmh.backend}, {@code jmh.keys} and Agrona.
 */
package io.tidemark.jmh.backend.agrona;

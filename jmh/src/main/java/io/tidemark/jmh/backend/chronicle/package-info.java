/**
 * Chronicle Map used directly behind the benchmark backend face, for comparison with Tidemark's {@code chronicle}
 * backend.
 *
 * <p>May import {@code jmh.backend}, {@code jmh.keys} and Chronicle Map.
 */
package io.tidemark.jmh.backend.chronicle;

/**
 * Tidemark's keyed backends ({@code heap}, {@code offheap}, {@code chronicle}) behind the benchmark backend face.
 *
 * <p>May import core ({@code backend}, {@code keygroup}, {@code serialization}, {@code state}), {@code jmh.backend}
 * and {@code jmh.keys}.
 */
package io.tidemark.jmh.backend.tidemark;

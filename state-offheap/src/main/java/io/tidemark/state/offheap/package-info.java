/**
 * The {@code offheap} backend: fixed-size state in a fused open-addressing table and everything else in record
 * tables, both in pages of the {@code memory} module; native incremental snapshots by page epoch ({@code
 * offheap-pages-v1}), converted to the canonical format for restore; layouts in {@code docs/spec/offheap-tables.md}.
 *
 * <p>May import {@code io.tidemark}, {@code backend}, {@code backend.canonical}, {@code backend.internal},
 * {@code backend.operator}, {@code backend.snapshot}, {@code keygroup}, {@code serialization}, {@code memory} and
 * Agrona; never the checkpoint module or threads.
 */
package io.tidemark.state.offheap;

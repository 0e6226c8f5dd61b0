/**
 * The {@code heap} reference backend: state as Java objects in per-key-group tables, copy-on-write for asynchronous
 * snapshots; the baseline every other backend is checked against by the conformance suite.
 *
 * <p>May import {@code backend}, {@code backend.internal}, {@code backend.operator}, {@code keygroup} and
 * {@code serialization}.
 */
package io.tidemark.backend.heap;

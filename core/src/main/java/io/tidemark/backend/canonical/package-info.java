/**
 * The canonical keyed snapshot format, readable by every backend: per key group, sorted key/namespace/value records
 * plus the serializer snapshots, written by {@link io.tidemark.backend.canonical.CanonicalSnapshotWriter} and read by
 * {@link io.tidemark.backend.canonical.CanonicalSnapshotReader} (which throws only the corruption error on bad bytes).
 * The layout is specified in {@code docs/spec/checkpoint-format.md}.
 *
 * <p>May import {@code io.tidemark}, {@code keygroup}, {@code serialization}, {@code backend.snapshot} and Agrona;
 * never a backend implementation.
 */
package io.tidemark.backend.canonical;

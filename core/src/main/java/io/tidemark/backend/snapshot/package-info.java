/**
 * Snapshot handles and the storage SPI between backends and checkpoint storage: {@link
 * io.tidemark.backend.snapshot.SnapshotStorage} hands out outputs, {@link io.tidemark.backend.snapshot.SnapshotReader}
 * opens streams, handles ({@code KeyedStateHandle}, {@code OperatorStateHandle}, {@code StreamHandle}) describe what
 * was written, {@code StateMetaInfo} describes a state; {@code InMemorySnapshotStorage} for tests and embedding;
 * {@code NativeSnapshotConverter}, the service a backend with a native format registers so that tools outside it read
 * its snapshots as canonical.
 *
 * <p>May import {@code io.tidemark}, {@code keygroup}, {@code serialization} and {@code state}; never files or the
 * checkpoint module (which implements the SPI).
 */
package io.tidemark.backend.snapshot;

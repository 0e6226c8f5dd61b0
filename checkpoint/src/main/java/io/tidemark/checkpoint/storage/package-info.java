/**
 * Checkpoint storage: the directory layout of a checkpoint root, the commit protocol (data fsynced, metadata
 * written to a temporary file, fsynced, renamed, directory fsynced), crash points on each step, recovery and
 * retention, shared-file reference counting, and the snapshot SPI implemented on checkpoint files ({@link
 * io.tidemark.checkpoint.storage.FileSnapshotStorage}).
 *
 * <p>May import {@code io.tidemark}, {@code backend.snapshot}, {@code keygroup}, {@code checkpoint.format} and
 * {@code checkpoint.fs}.
 */
package io.tidemark.checkpoint.storage;

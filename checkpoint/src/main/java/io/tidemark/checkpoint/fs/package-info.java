/**
 * The file layer all checkpoint I/O goes through ({@link io.tidemark.checkpoint.fs.CheckpointFileSystem}),
 * so that tests can inject faults; {@link io.tidemark.checkpoint.fs.NioCheckpointFileSystem} is the real one and
 * {@code DirectoryLock} the one lock of a state directory or checkpoint root ({@code DirectoryLockedException} when
 * another engine holds it). The fault-injecting file system lives in this module's
 * test-jar, not here.
 *
 * <p>May import {@code io.tidemark} (storage errors) and the JDK only.
 */
package io.tidemark.checkpoint.fs;

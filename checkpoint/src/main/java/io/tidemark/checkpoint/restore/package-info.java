/**
 * Restore planning: which handles each task of a (possibly rescaled) job restores, with every file it needs
 * verified before any state is loaded ({@link io.tidemark.checkpoint.restore.RestorePlanner}).
 *
 * <p>May import {@code io.tidemark}, {@code backend}, {@code backend.canonical}, {@code backend.snapshot},
 * {@code keygroup}, {@code checkpoint.fs}, {@code checkpoint.job} and {@code checkpoint.storage}.
 */
package io.tidemark.checkpoint.restore;

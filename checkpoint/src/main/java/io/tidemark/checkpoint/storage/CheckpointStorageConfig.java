package io.tidemark.checkpoint.storage;

import io.tidemark.ConfigurationException;
import io.tidemark.checkpoint.format.CompressionConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of a {@link CheckpointStorage}, validated at construction.
 *
 * @param root the directory holding {@code chk-<id>/} and {@code shared/}
 * @param retainedCheckpoints how many completed checkpoints to keep, at least 1 (default 3)
 * @param compression zstd level and block size of data files
 * @param inlineThreshold operator-state streams of at most this many bytes are kept inside {@code _metadata} instead
 *     of as a data file of their own (default {@value #DEFAULT_INLINE_THRESHOLD}); 0 disables inlining
 */
public record CheckpointStorageConfig(
        Path root, int retainedCheckpoints, CompressionConfig compression, int inlineThreshold) {
    public static final int DEFAULT_RETAINED_CHECKPOINTS = 3;
    public static final int MAX_RETAINED_CHECKPOINTS = 10_000;
    public static final int DEFAULT_INLINE_THRESHOLD = 16 * 1024;
    public static final int MAX_INLINE_THRESHOLD = 1024 * 1024;

    public CheckpointStorageConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(compression, "compression");
        if (retainedCheckpoints < 1 || retainedCheckpoints > MAX_RETAINED_CHECKPOINTS) {
            throw new ConfigurationException("retained checkpoints out of range: retainedCheckpoints="
                    + retainedCheckpoints + ", allowed=[1, " + MAX_RETAINED_CHECKPOINTS + "]");
        }
        checkInlineThreshold(inlineThreshold);
    }

    /** A configuration with the default inline threshold. */
    public CheckpointStorageConfig(Path root, int retainedCheckpoints, CompressionConfig compression) {
        this(root, retainedCheckpoints, compression, DEFAULT_INLINE_THRESHOLD);
    }

    public static CheckpointStorageConfig of(Path root) {
        return new CheckpointStorageConfig(root, DEFAULT_RETAINED_CHECKPOINTS, CompressionConfig.DEFAULT);
    }

    public CheckpointStorageConfig withRetainedCheckpoints(int k) {
        return new CheckpointStorageConfig(root, k, compression, inlineThreshold);
    }

    public CheckpointStorageConfig withInlineThreshold(int bytes) {
        return new CheckpointStorageConfig(root, retainedCheckpoints, compression, bytes);
    }

    /**
     * Validates an inline threshold.
     *
     * @return {@code bytes}
     * @throws ConfigurationException unless {@code 0 <= bytes <= MAX_INLINE_THRESHOLD}
     */
    public static int checkInlineThreshold(int bytes) {
        if (bytes < 0 || bytes > MAX_INLINE_THRESHOLD) {
            throw new ConfigurationException("inline threshold out of range: inlineThreshold=" + bytes
                    + ", allowed=[0, " + MAX_INLINE_THRESHOLD + "] (0 disables inlining)");
        }
        return bytes;
    }
}

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
 */
public record CheckpointStorageConfig(Path root, int retainedCheckpoints, CompressionConfig compression) {
    public static final int DEFAULT_RETAINED_CHECKPOINTS = 3;
    public static final int MAX_RETAINED_CHECKPOINTS = 10_000;

    public CheckpointStorageConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(compression, "compression");
        if (retainedCheckpoints < 1 || retainedCheckpoints > MAX_RETAINED_CHECKPOINTS) {
            throw new ConfigurationException("retained checkpoints out of range: retainedCheckpoints="
                    + retainedCheckpoints + ", allowed=[1, " + MAX_RETAINED_CHECKPOINTS + "]");
        }
    }

    public static CheckpointStorageConfig of(Path root) {
        return new CheckpointStorageConfig(root, DEFAULT_RETAINED_CHECKPOINTS, CompressionConfig.DEFAULT);
    }

    public CheckpointStorageConfig withRetainedCheckpoints(int k) {
        return new CheckpointStorageConfig(root, k, compression);
    }
}

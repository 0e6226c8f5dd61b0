package io.tidemark.checkpoint.format;

import com.github.luben.zstd.Zstd;
import io.tidemark.ConfigurationException;

/**
 * How data files are compressed: zstd {@code level} and the uncompressed {@code blockSize} of each block. Validated at
 * construction. Defaults chosen by measurement (see {@code docs/spec/checkpoint-format.md}).
 */
public record CompressionConfig(int level, int blockSize) {
    public static final int DEFAULT_LEVEL = 1;
    public static final int DEFAULT_BLOCK_SIZE = 256 * 1024;
    public static final int MIN_BLOCK_SIZE = 4 * 1024;
    public static final int MAX_BLOCK_SIZE = 16 * 1024 * 1024;
    public static final CompressionConfig DEFAULT = new CompressionConfig(DEFAULT_LEVEL, DEFAULT_BLOCK_SIZE);

    public CompressionConfig {
        if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
            throw new ConfigurationException("zstd compression level out of range: level=" + level + ", allowed=["
                    + Zstd.minCompressionLevel() + ", " + Zstd.maxCompressionLevel() + "]");
        }
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
            throw new ConfigurationException("checkpoint block size out of range: blockSize=" + blockSize
                    + ", allowed=[" + MIN_BLOCK_SIZE + ", " + MAX_BLOCK_SIZE + "]");
        }
    }
}

package io.tidemark.checkpoint.format;

import java.nio.file.Path;

/**
 * What a finished data file is, as recorded in {@code _metadata}: its length and the CRC32C of all its bytes, plus
 * the length of the uncompressed stream it holds.
 */
public record DataFileSummary(Path path, long length, int crc32c, long uncompressedLength) {}

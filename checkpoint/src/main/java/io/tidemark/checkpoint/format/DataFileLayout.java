package io.tidemark.checkpoint.format;

import java.nio.charset.StandardCharsets;

/**
 * Byte layout of a data file, all integers big-endian. Specified in {@code docs/spec/checkpoint-format.md}.
 *
 * <pre>
 * +--------------------+---------+---------+-----+---------+--------+---------+
 * | header (48 bytes)  | block 0 | block 1 | ... | block n | footer | trailer |
 * +--------------------+---------+---------+-----+---------+--------+---------+
 *                                                                     24 bytes
 * block: compressedLength:i32 | uncompressedLength:i32 | crc32c(compressed):i32 | zstd frame
 * </pre>
 */
final class DataFileLayout {
    static final byte[] MAGIC = "TDMKDATA".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END_MAGIC = "TDMK_END".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int CODEC_ZSTD = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int KIND_OFFSET = 10;
    static final int FLAGS_OFFSET = 12;
    static final int CHECKPOINT_ID_OFFSET = 16;
    static final int KEY_GROUP_START_OFFSET = 24;
    static final int KEY_GROUP_END_OFFSET = 28;
    static final int BLOCK_SIZE_OFFSET = 32;
    static final int CODEC_OFFSET = 36;
    static final int LEVEL_OFFSET = 37;
    static final int HEADER_CRC_OFFSET = 44;
    static final int HEADER_LENGTH = 48;

    static final int BLOCK_COMPRESSED_LENGTH_OFFSET = 0;
    static final int BLOCK_UNCOMPRESSED_LENGTH_OFFSET = 4;
    static final int BLOCK_CRC_OFFSET = 8;
    static final int BLOCK_HEADER_LENGTH = 12;

    /** Footer: blockCount:i32, entries, totalUncompressed:i64, fileLength:i64, headerCrc:i32. */
    static final int FOOTER_FIXED_LENGTH = 4 + 8 + 8 + 4;
    /** Index entry: blockOffset:i64, compressedLength:i32, uncompressedLength:i32, crc32c:i32. */
    static final int INDEX_ENTRY_LENGTH = 20;

    /** Trailer: footerOffset:i64, footerLength:i32, crc32c(footer bytes + first 12 trailer bytes):i32, END_MAGIC. */
    static final int TRAILER_FOOTER_OFFSET_OFFSET = 0;

    static final int TRAILER_FOOTER_LENGTH_OFFSET = 8;
    static final int TRAILER_CRC_OFFSET = 12;
    static final int TRAILER_MAGIC_OFFSET = 16;
    static final int TRAILER_LENGTH = 24;

    static final int MIN_FILE_LENGTH = HEADER_LENGTH + FOOTER_FIXED_LENGTH + TRAILER_LENGTH;

    private DataFileLayout() {}
}

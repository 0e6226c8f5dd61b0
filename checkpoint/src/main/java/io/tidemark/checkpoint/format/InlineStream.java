package io.tidemark.checkpoint.format;

import java.util.Objects;

/**
 * A small exclusive stream whose bytes are stored inside {@code _metadata} instead of as a data file, so they are
 * covered by the metadata's CRC32C and cost no file and no fsync of their own. Its name follows the rules of {@link
 * FileReference#isValidName} and is unique among the inline streams of one checkpoint. Immutable; {@link #bytes()}
 * must not be modified by callers.
 *
 * @param name the stream's name within its checkpoint
 * @param bytes the stream's bytes, uncompressed
 */
public record InlineStream(String name, byte[] bytes) {
    public InlineStream {
        Objects.requireNonNull(bytes, "bytes");
        if (!FileReference.isValidName(name)) {
            throw new IllegalArgumentException("invalid inline stream name: name=" + name);
        }
    }

    /** Length of the stream in bytes. */
    public int length() {
        return bytes.length;
    }
}

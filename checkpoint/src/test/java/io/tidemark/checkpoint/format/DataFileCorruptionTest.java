package io.tidemark.checkpoint.format;

import static io.tidemark.checkpoint.format.DataFileLayout.*;
import static io.tidemark.checkpoint.format.DataFiles.HEADER;
import static io.tidemark.checkpoint.format.DataFiles.SMALL_BLOCKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.keygroup.KeyGroupRange;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K2: every kind of damage to a data file is refused, before any data is handed out, naming what and where. */
class DataFileCorruptionTest {
    @TempDir
    Path dir;

    byte[] content;
    Path file;
    byte[] valid;
    DataFileSummary summary;

    @BeforeEach
    void writeValidFile() {
        content = DataFiles.data(new Random(42), 3 * 4096 + 100);
        file = dir.resolve("task-0.keyed");
        summary = DataFiles.write(file, content, HEADER, SMALL_BLOCKS);
        valid = DataFiles.bytes(file);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(byte[] damaged, String what) {
        DataFiles.put(file, damaged);
        return assertRefused(HEADER, what);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(DataFileHeader expected, String what) {
        return assertThatThrownBy(() -> DataFileReader.open(NioCheckpointFileSystem.INSTANCE, file, expected))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(what)
                .hasMessageContaining("file=" + file);
    }

    @Test
    void validFileReads() {
        assertThat(DataFiles.readAll(file, HEADER, summary.length(), summary.crc32c()))
                .isEqualTo(content);
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> DataFileReader.open(NioCheckpointFileSystem.INSTANCE, dir.resolve("nope"), HEADER))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("data file missing");
    }

    @Test
    void truncatedAnywhere() {
        for (int len : new int[] {0, 1, 47, 48, 60, 200, valid.length / 2, valid.length - 24, valid.length - 1}) {
            assertRefused(Arrays.copyOf(valid, len), "");
        }
        assertRefused(Arrays.copyOf(valid, valid.length - 1), "bad data file trailer magic");
    }

    @Test
    void trailingJunk() {
        assertRefused(concat(valid, new byte[] {0}), "trailer magic");
        byte[] trailer = Arrays.copyOfRange(valid, valid.length - TRAILER_LENGTH, valid.length);
        assertRefused(concat(valid, trailer), "footer location inconsistent");
    }

    @Test
    void badMagic() {
        byte[] b = valid.clone();
        b[0] = 'X';
        assertRefused(b, "bad data file magic")
                .satisfies(e -> assertThat(offset(e)).isZero());
    }

    @Test
    void futureVersion() {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).putShort(VERSION_OFFSET, (short) (FORMAT_VERSION + 1));
        assertRefused(b, "unsupported data file format version")
                .hasMessageContaining("actual=2")
                .satisfies(e -> assertThat(offset(e)).isEqualTo(VERSION_OFFSET));
    }

    @Test
    void swappedFilesWrongCheckpointRangeOrKind() {
        assertRefused(new DataFileHeader(8, HEADER.keyGroupRange(), HEADER.kind()), "another checkpoint");
        assertRefused(new DataFileHeader(7, KeyGroupRange.of(0, 2), HEADER.kind()), "other key groups");
        assertRefused(new DataFileHeader(7, HEADER.keyGroupRange(), FileKind.OPERATOR_STATE), "another kind");
    }

    @Test
    void swappedFileWithSameIdentityCaughtByMetadataChecksum() {
        Path other = dir.resolve("task-1.keyed");
        DataFileSummary s = DataFiles.write(other, DataFiles.data(new Random(7), content.length), HEADER, SMALL_BLOCKS);
        assertThatThrownBy(() -> DataFileReader.open(
                        NioCheckpointFileSystem.INSTANCE, other, HEADER, summary.length(), summary.crc32c()))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("from _metadata");
        assertThat(s.crc32c()).isNotEqualTo(summary.crc32c());
    }

    @Test
    void bitFlipInEachRegionNamesItsOffset() {
        int footerOffset = (int) ByteBuffer.wrap(valid).getLong(valid.length - TRAILER_LENGTH);
        int[][] cases = {
            {20, 0}, // header field -> header checksum, region starts at 0
            {HEADER_LENGTH + BLOCK_HEADER_LENGTH + 5, HEADER_LENGTH + BLOCK_HEADER_LENGTH}, // block 0 data
            {HEADER_LENGTH + 1, HEADER_LENGTH}, // block 0 frame header
            {footerOffset + 6, footerOffset}, // block index
            {valid.length - 10, footerOffset}, // trailer checksum
        };
        for (int[] c : cases) {
            byte[] b = valid.clone();
            b[c[0]] ^= 0x10;
            assertRefused(b, "").satisfies(e -> assertThat(offset(e)).isEqualTo(c[1]));
        }
    }

    @Test
    void corruptZstdFrameWithValidChecksums() {
        byte[] b = valid.clone();
        ByteBuffer buf = ByteBuffer.wrap(b);
        int clen = buf.getInt(HEADER_LENGTH);
        int data = HEADER_LENGTH + BLOCK_HEADER_LENGTH;
        Arrays.fill(b, data, data + clen, (byte) 0x5a); // not a zstd frame, but checksummed as if it were
        int crc = crc(b, data, clen);
        buf.putInt(HEADER_LENGTH + BLOCK_CRC_OFFSET, crc);
        int footerOffset = (int) buf.getLong(b.length - TRAILER_LENGTH);
        int footerLength = buf.getInt(b.length - TRAILER_LENGTH + 8);
        buf.putInt(footerOffset + 4 + 16, crc); // index entry 0 checksum
        CRC32C c = new CRC32C();
        c.update(b, footerOffset, footerLength + TRAILER_CRC_OFFSET);
        buf.putInt(b.length - TRAILER_LENGTH + TRAILER_CRC_OFFSET, (int) c.getValue());
        // the open-time pass checks CRCs of the compressed bytes only; a frame that does not decode (a writer bug,
        // not a bit flip: the CRCs hold) is refused when its block is read, naming the file and offset
        DataFiles.put(file, b);
        try (DataFileReader reader = DataFileReader.open(NioCheckpointFileSystem.INSTANCE, file, HEADER)) {
            assertThatThrownBy(() -> reader.openStream().readAllBytes())
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining("corrupt zstd frame")
                    .hasMessageContaining("file=" + file)
                    .satisfies(e -> assertThat(offset(e)).isEqualTo(data));
        }
    }

    private static long offset(Throwable e) {
        return ((CorruptCheckpointException) e).offset();
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}

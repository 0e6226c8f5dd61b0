package io.tidemark.checkpoint.format;

import static io.tidemark.checkpoint.format.DataFileLayout.*;

import com.github.luben.zstd.Zstd;
import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.ReadableFile;
import io.tidemark.keygroup.KeyGroupRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Opens a data file and verifies all of it before handing out a single byte: length and CRC32C of the whole file
 * against {@code _metadata} (when given), magic, format version, header checksum, identity (checkpoint id, key-group
 * range, kind), trailer, footer checksum, block index, every block's CRC32C, and that every zstd frame decodes to its
 * recorded length. Any failure is a {@link CorruptCheckpointException} naming file, offset, expected and actual; bad
 * bytes never cause any other exception. I/O failures are {@link io.tidemark.StorageIOException}.
 *
 * <p>Verification reads the whole file once; {@link #openStream()} then reads it again, re-checking each block's CRC
 * (the file could have changed in between). One thread at a time; allocates two block-sized buffers per reader.
 */
public final class DataFileReader implements AutoCloseable {
    private final ReadableFile file;
    private final String name;
    private final CRC32C crc = new CRC32C();
    private final CRC32C blockCrc = new CRC32C();
    private byte[] frame;
    private ByteBuffer frameBuffer;
    private byte[] block;
    private int blockSize;
    private long[] offsets;
    private int[] compressedLengths;
    private int[] uncompressedLengths;
    private int[] checksums;
    private long uncompressedLength;
    private DataFileHeader header;
    private boolean streamOpened;

    private DataFileReader(ReadableFile file) {
        this.file = file;
        this.name = file.path().toString();
    }

    /** Opens and fully verifies {@code path} against the identity its caller expects. */
    public static DataFileReader open(CheckpointFileSystem fs, Path path, DataFileHeader expected) {
        return open(fs, path, expected, -1, 0);
    }

    /**
     * Opens and fully verifies {@code path}; also checks its length and whole-file CRC32C against {@code _metadata}
     * unless {@code expectedLength} is negative.
     */
    public static DataFileReader open(
            CheckpointFileSystem fs, Path path, DataFileHeader expected, long expectedLength, int expectedCrc) {
        if (!fs.exists(path)) {
            throw new CorruptCheckpointException("data file missing", path.toString(), 0, "present", "absent");
        }
        DataFileReader reader = new DataFileReader(fs.openRead(path));
        try {
            reader.verify(expected, expectedLength, expectedCrc);
            return reader;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public DataFileHeader header() {
        return header;
    }

    /** Length of the uncompressed stream the file holds. */
    public long uncompressedLength() {
        return uncompressedLength;
    }

    /** The verified content as a stream; may be called once. Closing the stream closes this reader. */
    public DataFileInputStream openStream() {
        if (streamOpened) {
            throw new IllegalStateException("stream already opened: file=" + name);
        }
        streamOpened = true;
        return new DataFileInputStream(this);
    }

    @Override
    public void close() {
        file.close();
    }

    // ------------------------------------------------------------------ verification

    private void verify(DataFileHeader expected, long expectedLength, int expectedCrc) {
        long size = file.size();
        if (expectedLength >= 0 && size != expectedLength) {
            throw corrupt(
                    "data file length differs from _metadata", Math.min(size, expectedLength), expectedLength, size);
        }
        if (size < MIN_FILE_LENGTH) {
            throw corrupt("data file truncated", size, ">= " + MIN_FILE_LENGTH + " bytes", size + " bytes");
        }
        ByteBuffer h = read(0, HEADER_LENGTH);
        int headerCrc = verifyHeader(h, expected);
        ByteBuffer t = read(size - TRAILER_LENGTH, TRAILER_LENGTH);
        ByteBuffer f = verifyTrailerAndReadFooter(t, size);
        parseFooter(f, size, headerCrc);
        crc.reset();
        crc.update(h.array(), 0, HEADER_LENGTH);
        for (int i = 0; i < offsets.length; i++) {
            readFrame(i, true);
        }
        crc.update(f.array(), 0, f.capacity());
        crc.update(t.array(), 0, TRAILER_LENGTH);
        int fileCrc = (int) crc.getValue();
        if (expectedLength >= 0 && fileCrc != expectedCrc) {
            throw corrupt("data file checksum differs from _metadata", 0, hex(expectedCrc), hex(fileCrc));
        }
    }

    private int verifyHeader(ByteBuffer h, DataFileHeader expected) {
        checkMagic(h, MAGIC_OFFSET, MAGIC, 0, "bad data file magic");
        int version = h.getShort(VERSION_OFFSET) & 0xFFFF;
        if (version < 1 || version > FORMAT_VERSION) {
            throw corrupt("unsupported data file format version", VERSION_OFFSET, "1.." + FORMAT_VERSION, version);
        }
        int stored = h.getInt(HEADER_CRC_OFFSET);
        int computed = crcOf(h.array(), 0, HEADER_CRC_OFFSET);
        if (stored != computed) {
            throw corrupt("data file header checksum mismatch", 0, hex(stored), hex(computed));
        }
        FileKind kind = FileKind.ofCode(h.getShort(KIND_OFFSET) & 0xFFFF);
        if (kind == null) {
            throw corrupt("unknown data file kind", KIND_OFFSET, "a FileKind code", h.getShort(KIND_OFFSET));
        }
        checkEquals("unsupported data file flags", FLAGS_OFFSET, 0, h.getInt(FLAGS_OFFSET));
        checkEquals("unsupported compression codec", CODEC_OFFSET, CODEC_ZSTD, h.get(CODEC_OFFSET));
        blockSize = h.getInt(BLOCK_SIZE_OFFSET);
        if (blockSize < CompressionConfig.MIN_BLOCK_SIZE || blockSize > CompressionConfig.MAX_BLOCK_SIZE) {
            throw corrupt(
                    "data file block size out of range",
                    BLOCK_SIZE_OFFSET,
                    "[" + CompressionConfig.MIN_BLOCK_SIZE + ", " + CompressionConfig.MAX_BLOCK_SIZE + "]",
                    blockSize);
        }
        int start = h.getInt(KEY_GROUP_START_OFFSET);
        int end = h.getInt(KEY_GROUP_END_OFFSET);
        if (start < 0 || end < start - 1) {
            throw corrupt(
                    "invalid key-group range in header",
                    KEY_GROUP_START_OFFSET,
                    "0 <= start <= end + 1",
                    "start=" + start + ", end=" + end);
        }
        header = new DataFileHeader(h.getLong(CHECKPOINT_ID_OFFSET), KeyGroupRange.of(start, end), kind);
        if (expected != null) {
            checkEquals(
                    "data file belongs to another checkpoint",
                    CHECKPOINT_ID_OFFSET,
                    expected.checkpointId(),
                    header.checkpointId());
            checkEquals(
                    "data file holds other key groups",
                    KEY_GROUP_START_OFFSET,
                    expected.keyGroupRange(),
                    header.keyGroupRange());
            checkEquals("data file holds another kind of state", KIND_OFFSET, expected.kind(), header.kind());
        }
        return stored;
    }

    private ByteBuffer verifyTrailerAndReadFooter(ByteBuffer t, long size) {
        long trailerAt = size - TRAILER_LENGTH;
        checkMagic(t, TRAILER_MAGIC_OFFSET, END_MAGIC, trailerAt, "bad data file trailer magic (truncated or junk)");
        long footerOffset = t.getLong(TRAILER_FOOTER_OFFSET_OFFSET);
        long footerLength = t.getInt(TRAILER_FOOTER_LENGTH_OFFSET);
        if (footerLength < FOOTER_FIXED_LENGTH
                || (footerLength - FOOTER_FIXED_LENGTH) % INDEX_ENTRY_LENGTH != 0
                || footerOffset < HEADER_LENGTH
                || footerOffset + footerLength != trailerAt) {
            throw corrupt(
                    "data file footer location inconsistent with file length",
                    trailerAt,
                    "footerOffset + footerLength = " + trailerAt,
                    "footerOffset=" + footerOffset + ", footerLength=" + footerLength);
        }
        ByteBuffer f = read(footerOffset, (int) footerLength);
        crc.reset();
        crc.update(f.array(), 0, (int) footerLength);
        crc.update(t.array(), 0, TRAILER_CRC_OFFSET);
        int computed = (int) crc.getValue();
        int stored = t.getInt(TRAILER_CRC_OFFSET);
        if (stored != computed) {
            throw corrupt("data file footer checksum mismatch", footerOffset, hex(stored), hex(computed));
        }
        return f;
    }

    private void parseFooter(ByteBuffer f, long size, int headerCrc) {
        long footerOffset = size - TRAILER_LENGTH - f.capacity();
        int count = f.getInt(0);
        int expectedCount = (f.capacity() - FOOTER_FIXED_LENGTH) / INDEX_ENTRY_LENGTH;
        checkEquals("data file block count inconsistent with footer length", footerOffset, expectedCount, count);
        int tail = 4 + count * INDEX_ENTRY_LENGTH;
        uncompressedLength = f.getLong(tail);
        checkEquals("data file length in footer differs", footerOffset + tail + 8, size, f.getLong(tail + 8));
        checkEquals(
                "header checksum in footer differs",
                footerOffset + tail + 16,
                hex(headerCrc),
                hex(f.getInt(tail + 16)));
        offsets = new long[count];
        compressedLengths = new int[count];
        uncompressedLengths = new int[count];
        checksums = new int[count];
        int bound = (int) Zstd.compressBound(blockSize);
        long nextOffset = HEADER_LENGTH;
        long total = 0;
        for (int i = 0; i < count; i++) {
            int at = 4 + i * INDEX_ENTRY_LENGTH;
            long entryOffset = footerOffset + at;
            offsets[i] = f.getLong(at);
            compressedLengths[i] = f.getInt(at + 8);
            uncompressedLengths[i] = f.getInt(at + 12);
            checksums[i] = f.getInt(at + 16);
            checkEquals("block index not contiguous", entryOffset, nextOffset, offsets[i]);
            int ulen = uncompressedLengths[i];
            boolean last = i == count - 1;
            if (last ? ulen < 1 || ulen > blockSize : ulen != blockSize) {
                throw corrupt(
                        "block uncompressed length out of range",
                        entryOffset + 12,
                        last ? "[1, " + blockSize + "]" : blockSize,
                        ulen);
            }
            if (compressedLengths[i] < 1 || compressedLengths[i] > bound) {
                throw corrupt(
                        "block compressed length out of range",
                        entryOffset + 8,
                        "[1, " + bound + "]",
                        compressedLengths[i]);
            }
            nextOffset += BLOCK_HEADER_LENGTH + (long) compressedLengths[i];
            total += ulen;
        }
        checkEquals("blocks do not end where the footer starts", footerOffset, footerOffset, nextOffset);
        checkEquals(
                "uncompressed length in footer differs from block index",
                footerOffset + tail,
                total,
                uncompressedLength);
        frame = new byte[BLOCK_HEADER_LENGTH + bound];
        frameBuffer = ByteBuffer.wrap(frame).order(ByteOrder.BIG_ENDIAN);
        block = new byte[blockSize];
    }

    /**
     * Reads block {@code i}, checks its frame against the index, its CRC32C and that it decompresses to its recorded
     * length, leaving the bytes in {@link #block}.
     */
    int loadBlock(int i, boolean feedFileCrc) {
        readFrame(i, feedFileCrc);
        return decompress(i);
    }

    /**
     * Reads block {@code i}'s frame into {@link #frame} and checks it against the index and its CRC32C (which covers
     * the compressed bytes): what the open-time verification needs, without decompressing.
     */
    private void readFrame(int i, boolean feedFileCrc) {
        long at = offsets[i];
        int clen = compressedLengths[i];
        int ulen = uncompressedLengths[i];
        frameBuffer.clear().limit(BLOCK_HEADER_LENGTH + clen);
        int n = file.read(frameBuffer, at);
        if (n != BLOCK_HEADER_LENGTH + clen) {
            throw corrupt(
                    "data file truncated inside a block", at + n, BLOCK_HEADER_LENGTH + clen + " bytes", n + " bytes");
        }
        if (feedFileCrc) {
            crc.update(frame, 0, BLOCK_HEADER_LENGTH + clen);
        }
        ByteBuffer hdr = frameBuffer;
        checkEquals(
                "block compressed length differs from index",
                at + BLOCK_COMPRESSED_LENGTH_OFFSET,
                clen,
                hdr.getInt(BLOCK_COMPRESSED_LENGTH_OFFSET));
        checkEquals(
                "block uncompressed length differs from index",
                at + BLOCK_UNCOMPRESSED_LENGTH_OFFSET,
                ulen,
                hdr.getInt(BLOCK_UNCOMPRESSED_LENGTH_OFFSET));
        int framed = hdr.getInt(BLOCK_CRC_OFFSET);
        if (framed != checksums[i]) {
            throw corrupt("block checksum differs from index", at + BLOCK_CRC_OFFSET, hex(checksums[i]), hex(framed));
        }
        int computed = crcOf(frame, BLOCK_HEADER_LENGTH, clen);
        if (computed != checksums[i]) {
            throw corrupt("block checksum mismatch", at + BLOCK_HEADER_LENGTH, hex(checksums[i]), hex(computed));
        }
    }

    /** Decompresses the frame read by {@link #readFrame} into {@link #block}; checks it decodes to its length. */
    private int decompress(int i) {
        final long at = offsets[i];
        final int clen = compressedLengths[i];
        final int ulen = uncompressedLengths[i];
        long r;
        try {
            r = Zstd.decompressByteArray(block, 0, ulen, frame, BLOCK_HEADER_LENGTH, clen);
        } catch (RuntimeException e) {
            throw corrupt("corrupt zstd frame", at + BLOCK_HEADER_LENGTH, ulen + " bytes", String.valueOf(e));
        }
        if (Zstd.isError(r)) {
            throw corrupt("corrupt zstd frame", at + BLOCK_HEADER_LENGTH, ulen + " bytes", Zstd.getErrorName(r));
        }
        if (r != ulen) {
            throw corrupt("corrupt zstd frame", at + BLOCK_HEADER_LENGTH, ulen + " bytes", r + " bytes");
        }
        return ulen;
    }

    int blockCount() {
        return offsets.length;
    }

    int blockSize() {
        return blockSize;
    }

    byte[] blockBuffer() {
        return block;
    }

    // ------------------------------------------------------------------ helpers

    private ByteBuffer read(long position, int length) {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.BIG_ENDIAN);
        int n = file.read(buf, position);
        if (n != length) {
            throw corrupt("data file truncated", position + n, length + " bytes", n + " bytes");
        }
        return buf;
    }

    private void checkMagic(ByteBuffer b, int at, byte[] magic, long fileOffset, String what) {
        byte[] actual = Arrays.copyOfRange(b.array(), at, at + magic.length);
        if (!Arrays.equals(actual, magic)) {
            throw corrupt(what, fileOffset + at, printable(magic), printable(actual));
        }
    }

    private void checkEquals(String what, long offset, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw corrupt(what, offset, expected, actual);
        }
    }

    private void checkEquals(String what, long offset, long expected, long actual) {
        if (expected != actual) {
            throw corrupt(what, offset, expected, actual);
        }
    }

    CorruptCheckpointException corrupt(String what, long offset, Object expected, Object actual) {
        return new CorruptCheckpointException(what, name, offset, expected, actual);
    }

    private int crcOf(byte[] bytes, int offset, int length) {
        blockCrc.reset();
        blockCrc.update(bytes, offset, length);
        return (int) blockCrc.getValue();
    }

    static String hex(int value) {
        return String.format("0x%08x", value);
    }

    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(b >= 0x20 && b < 0x7f ? Character.toString((char) b) : String.format("\\x%02x", b & 0xFF));
        }
        return sb.toString();
    }
}

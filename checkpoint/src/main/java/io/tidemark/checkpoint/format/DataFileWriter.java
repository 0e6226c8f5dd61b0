package io.tidemark.checkpoint.format;

import static io.tidemark.checkpoint.format.DataFileLayout.*;

import com.github.luben.zstd.Zstd;
import io.tidemark.StorageIOException;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.WritableFile;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Streams bytes into a new data file: buffers one block, compresses it with zstd, frames it with lengths and a
 * CRC32C, and on {@link #finish()} appends the block index footer and the trailer and fsyncs the file.
 *
 * <p>One thread (the snapshot thread) owns a writer. Allocates its block buffers once at creation; steady-state writes
 * do not allocate except for the per-block index growth. Errors: {@link io.tidemark.StorageSpaceException} or {@link
 * StorageIOException} naming the file. After any error the writer is failed and the caller deletes the file.
 */
public final class DataFileWriter extends OutputStream {
    private final WritableFile file;
    private final CompressionConfig compression;
    private final byte[] block;
    private final byte[] compressed;
    private final ByteBuffer frame;
    private final CRC32C fileCrc = new CRC32C();
    private final CRC32C blockCrc = new CRC32C();
    private final int headerCrc;
    private int blockFill;
    private long uncompressedPosition;

    private long[] indexOffsets = new long[16];
    private int[] indexCompressed = new int[16];
    private int[] indexUncompressed = new int[16];
    private int[] indexCrc = new int[16];
    private int blockCount;

    private boolean finished;
    private boolean failed;

    private DataFileWriter(WritableFile file, DataFileHeader header, CompressionConfig compression) {
        this.file = file;
        this.compression = compression;
        this.block = new byte[compression.blockSize()];
        int bound = (int) Zstd.compressBound(compression.blockSize());
        this.compressed = new byte[BLOCK_HEADER_LENGTH + bound];
        this.frame = ByteBuffer.wrap(compressed).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer h = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN);
        h.put(MAGIC_OFFSET, MAGIC);
        h.putShort(VERSION_OFFSET, (short) FORMAT_VERSION);
        h.putShort(KIND_OFFSET, (short) header.kind().code());
        h.putInt(FLAGS_OFFSET, 0);
        h.putLong(CHECKPOINT_ID_OFFSET, header.checkpointId());
        h.putInt(KEY_GROUP_START_OFFSET, header.keyGroupRange().startKeyGroup());
        h.putInt(KEY_GROUP_END_OFFSET, header.keyGroupRange().endKeyGroup());
        h.putInt(BLOCK_SIZE_OFFSET, compression.blockSize());
        h.put(CODEC_OFFSET, (byte) CODEC_ZSTD);
        h.put(LEVEL_OFFSET, (byte) compression.level());
        this.headerCrc = crc(h.array(), 0, HEADER_CRC_OFFSET);
        h.putInt(HEADER_CRC_OFFSET, headerCrc);
        emit(h);
    }

    /** Creates {@code path} (it must not exist) and writes the header. */
    public static DataFileWriter create(
            CheckpointFileSystem fs, Path path, DataFileHeader header, CompressionConfig compression) {
        WritableFile file = fs.create(path);
        try {
            return new DataFileWriter(file, header, compression);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public Path path() {
        return file.path();
    }

    /** Uncompressed bytes written so far: the logical position in the stream a reader will see. */
    public long position() {
        return uncompressedPosition;
    }

    @Override
    public void write(int b) {
        checkOpen();
        block[blockFill++] = (byte) b;
        uncompressedPosition++;
        if (blockFill == block.length) {
            flushBlock();
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        checkOpen();
        java.util.Objects.checkFromIndexSize(offset, length, src.length);
        while (length > 0) {
            int n = Math.min(length, block.length - blockFill);
            System.arraycopy(src, offset, block, blockFill, n);
            blockFill += n;
            uncompressedPosition += n;
            offset += n;
            length -= n;
            if (blockFill == block.length) {
                flushBlock();
            }
        }
    }

    /** Appends all remaining bytes of {@code src}. */
    public void write(ByteBuffer src) {
        checkOpen();
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), block.length - blockFill);
            src.get(block, blockFill, n);
            blockFill += n;
            uncompressedPosition += n;
            if (blockFill == block.length) {
                flushBlock();
            }
        }
    }

    /** No-op: data reaches the file block by block, and is durable only after {@link #finish()}. */
    @Override
    public void flush() {}

    /**
     * Writes the last block, the footer and the trailer, fsyncs and closes the file.
     *
     * @return length and CRC32C of the whole file, for {@code _metadata}
     */
    public DataFileSummary finish() {
        checkOpen();
        try {
            if (blockFill > 0) {
                flushBlock();
            }
            long footerOffset = file.position();
            int footerLength = FOOTER_FIXED_LENGTH + blockCount * INDEX_ENTRY_LENGTH;
            long fileLength = footerOffset + footerLength + TRAILER_LENGTH;
            ByteBuffer f = ByteBuffer.allocate(footerLength + TRAILER_LENGTH).order(ByteOrder.BIG_ENDIAN);
            f.putInt(blockCount);
            for (int i = 0; i < blockCount; i++) {
                f.putLong(indexOffsets[i])
                        .putInt(indexCompressed[i])
                        .putInt(indexUncompressed[i])
                        .putInt(indexCrc[i]);
            }
            f.putLong(uncompressedPosition).putLong(fileLength).putInt(headerCrc);
            f.putLong(footerOffset).putInt(footerLength);
            f.putInt(crc(f.array(), 0, footerLength + TRAILER_CRC_OFFSET));
            f.put(END_MAGIC);
            f.flip();
            emit(f);
            file.sync();
            finished = true;
            file.close();
            return new DataFileSummary(file.path(), fileLength, (int) fileCrc.getValue(), uncompressedPosition);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Closes the file; if {@link #finish()} did not succeed the file is incomplete and the caller deletes it. */
    @Override
    public void close() {
        if (!finished) {
            failed = true;
            file.close();
        }
    }

    private void flushBlock() {
        try {
            long r = Zstd.compressByteArray(
                    compressed,
                    BLOCK_HEADER_LENGTH,
                    compressed.length - BLOCK_HEADER_LENGTH,
                    block,
                    0,
                    blockFill,
                    compression.level());
            if (Zstd.isError(r)) {
                throw new StorageIOException(
                        "zstd compression failed: file=" + file.path() + ", error=" + Zstd.getErrorName(r));
            }
            int clen = (int) r;
            int blockChecksum = crc(compressed, BLOCK_HEADER_LENGTH, clen);
            frame.putInt(BLOCK_COMPRESSED_LENGTH_OFFSET, clen);
            frame.putInt(BLOCK_UNCOMPRESSED_LENGTH_OFFSET, blockFill);
            frame.putInt(BLOCK_CRC_OFFSET, blockChecksum);
            addIndexEntry(file.position(), clen, blockFill, blockChecksum);
            frame.clear().limit(BLOCK_HEADER_LENGTH + clen);
            emit(frame);
            frame.clear();
            blockFill = 0;
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void addIndexEntry(long offset, int clen, int ulen, int checksum) {
        if (blockCount == indexOffsets.length) {
            int n = blockCount * 2;
            indexOffsets = Arrays.copyOf(indexOffsets, n);
            indexCompressed = Arrays.copyOf(indexCompressed, n);
            indexUncompressed = Arrays.copyOf(indexUncompressed, n);
            indexCrc = Arrays.copyOf(indexCrc, n);
        }
        indexOffsets[blockCount] = offset;
        indexCompressed[blockCount] = clen;
        indexUncompressed[blockCount] = ulen;
        indexCrc[blockCount] = checksum;
        blockCount++;
    }

    private void emit(ByteBuffer buf) {
        fileCrc.update(buf.array(), buf.position(), buf.remaining());
        file.write(buf);
    }

    private void checkOpen() {
        if (finished || failed) {
            throw new IllegalStateException(
                    "data file writer is " + (finished ? "finished" : "failed") + ": file=" + file.path());
        }
    }

    private int crc(byte[] bytes, int offset, int length) {
        blockCrc.reset();
        blockCrc.update(bytes, offset, length);
        return (int) blockCrc.getValue();
    }
}

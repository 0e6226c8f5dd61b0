package io.tidemark.checkpoint.format;

import io.tidemark.CorruptCheckpointException;
import java.io.InputStream;

/**
 * The uncompressed content of a verified data file. Each block is re-read and its CRC32C checked again as it is
 * reached, so a file changed after verification fails with {@link CorruptCheckpointException} rather than yielding
 * other bytes. One thread; does not allocate per read. Closing it closes its {@link DataFileReader}.
 */
public final class DataFileInputStream extends InputStream {
    private final DataFileReader reader;
    private int nextBlock;
    private int blockLength;
    private int blockPos;
    private long position;

    DataFileInputStream(DataFileReader reader) {
        this.reader = reader;
    }

    /** Position in the uncompressed stream. */
    public long position() {
        return position;
    }

    /** Moves to {@code uncompressedPosition}, which must be within {@code [0, uncompressedLength]}. */
    public void seek(long uncompressedPosition) {
        if (uncompressedPosition < 0 || uncompressedPosition > reader.uncompressedLength()) {
            throw new IllegalArgumentException("seek position out of range: position=" + uncompressedPosition
                    + ", length=" + reader.uncompressedLength());
        }
        int blockIndex = (int) (uncompressedPosition / reader.blockSize());
        nextBlock = blockIndex;
        blockLength = 0;
        blockPos = 0;
        position = uncompressedPosition;
        int within = (int) (uncompressedPosition % reader.blockSize());
        if (within > 0) {
            fill();
            blockPos = within;
        }
    }

    @Override
    public int read() {
        if (blockPos == blockLength && !fill()) {
            return -1;
        }
        position++;
        return reader.blockBuffer()[blockPos++] & 0xFF;
    }

    @Override
    public int read(byte[] dst, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        if (length == 0) {
            return 0;
        }
        if (blockPos == blockLength && !fill()) {
            return -1;
        }
        int n = Math.min(length, blockLength - blockPos);
        System.arraycopy(reader.blockBuffer(), blockPos, dst, offset, n);
        blockPos += n;
        position += n;
        return n;
    }

    @Override
    public int available() {
        return blockLength - blockPos;
    }

    @Override
    public void close() {
        reader.close();
    }

    private boolean fill() {
        if (nextBlock >= reader.blockCount()) {
            return false;
        }
        blockLength = reader.loadBlock(nextBlock++, false);
        blockPos = 0;
        return true;
    }
}

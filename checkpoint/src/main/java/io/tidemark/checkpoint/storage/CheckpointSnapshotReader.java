package io.tidemark.checkpoint.storage;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.format.DataFileInputStream;
import io.tidemark.checkpoint.format.DataFileReader;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.InlineStream;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The core {@link SnapshotReader} SPI over a completed checkpoint or savepoint: a stream is opened only if its file
 * is listed in {@code _metadata}, and only after the whole file verified (length and CRC32C against {@code
 * _metadata}, header, every block). An inline stream is read from {@code _metadata} itself, whose CRC32C covered its
 * bytes when the checkpoint was loaded. Thread-safe; each returned stream belongs to one thread and must be closed.
 */
public final class CheckpointSnapshotReader implements SnapshotReader {
    private final CheckpointFileSystem fs;
    private final CompletedCheckpoint checkpoint;

    public CheckpointSnapshotReader(CheckpointFileSystem fs, CompletedCheckpoint checkpoint) {
        this.fs = fs;
        this.checkpoint = checkpoint;
    }

    @Override
    public InputStream open(StreamHandle handle, long position) {
        if (SnapshotStreamNames.isInline(handle.name())) {
            return openInline(inline(handle), handle, position, metadataFile());
        }
        FileReference file = checkpoint
                .metadata()
                .file(SnapshotStreamNames.fileNameOf(handle.name()), SnapshotStreamNames.scopeOf(handle.name()));
        if (file == null) {
            throw SnapshotStreamNames.notListed(
                    handle.name(),
                    checkpoint.directory().resolve(CheckpointLayout.METADATA).toString());
        }
        return open(fs, checkpoint.resolve(file), file, handle, position, checkpoint.checkpointId());
    }

    /**
     * Reads the whole file behind {@code handle} and checks it without handing out bytes: listed in {@code _metadata},
     * length and CRC32C, header, every block, written by this checkpoint (or an earlier one for shared files), the
     * handle's length and, unless {@code expectedRange} is {@code null}, the key-group range in the file header.
     *
     * @throws CorruptCheckpointException naming the file, offset, expected and actual value
     */
    public void verify(StreamHandle handle, KeyGroupRange expectedRange) {
        if (SnapshotStreamNames.isInline(handle.name())) {
            InlineStream stream = inline(handle);
            checkInlineLength(stream, handle, metadataFile());
            if (expectedRange != null && !expectedRange.isEmpty()) {
                throw new CorruptCheckpointException(
                        "keyed stream kept inline (only operator state is)",
                        metadataFile(),
                        0,
                        expectedRange,
                        handle.name());
            }
            return;
        }
        FileReference file = checkpoint
                .metadata()
                .file(SnapshotStreamNames.fileNameOf(handle.name()), SnapshotStreamNames.scopeOf(handle.name()));
        if (file == null) {
            throw SnapshotStreamNames.notListed(
                    handle.name(),
                    checkpoint.directory().resolve(CheckpointLayout.METADATA).toString());
        }
        Path path = checkpoint.resolve(file);
        try (DataFileReader reader = DataFileReader.open(fs, path, null, file.length(), file.crc32c())) {
            CheckpointStorage.checkWriter(
                    checkpoint.checkpointId(), file, reader.header().checkpointId(), path);
            if (reader.uncompressedLength() != handle.length()) {
                throw new CorruptCheckpointException(
                        "stream length differs from its handle",
                        path.toString(),
                        0,
                        handle.length(),
                        reader.uncompressedLength());
            }
            if (expectedRange != null && !expectedRange.equals(reader.header().keyGroupRange())) {
                throw new CorruptCheckpointException(
                        "data file holds other key groups than its handle",
                        path.toString(),
                        24,
                        expectedRange,
                        reader.header().keyGroupRange());
            }
        }
    }

    /** The stream name a handle uses for {@code file} of a checkpoint. */
    public static String streamName(FileReference file) {
        return SnapshotStreamNames.streamName(file);
    }

    /** The stream name a handle uses for the inline stream {@code stream} of a checkpoint. */
    public static String streamName(InlineStream stream) {
        return SnapshotStreamNames.streamName(stream);
    }

    /** The inline stream {@code handle} names; it must be listed in {@code _metadata}. */
    private InlineStream inline(StreamHandle handle) {
        InlineStream stream = checkpoint.metadata().inline(SnapshotStreamNames.inlineNameOf(handle.name()));
        if (stream == null) {
            throw SnapshotStreamNames.notListed(handle.name(), metadataFile());
        }
        return stream;
    }

    private String metadataFile() {
        return checkpoint.directory().resolve(CheckpointLayout.METADATA).toString();
    }

    /**
     * A stream over the bytes of an inline stream (verified with {@code _metadata}'s CRC32C when it was loaded), after
     * checking its length against the handle.
     */
    static InputStream openInline(InlineStream stream, StreamHandle handle, long position, String metadataFile) {
        checkInlineLength(stream, handle, metadataFile);
        checkPosition(handle, position);
        return new ByteArrayInputStream(stream.bytes(), (int) position, stream.length() - (int) position);
    }

    private static void checkPosition(StreamHandle handle, long position) {
        if (position < 0 || position > handle.length()) {
            throw new IllegalArgumentException("stream position out of range: stream=" + handle.name() + ", position="
                    + position + ", length=" + handle.length());
        }
    }

    private static void checkInlineLength(InlineStream stream, StreamHandle handle, String metadataFile) {
        if (stream.length() != handle.length()) {
            throw new CorruptCheckpointException(
                    "inline stream length differs from its handle: stream=" + handle.name(),
                    metadataFile,
                    0,
                    handle.length(),
                    stream.length());
        }
    }

    public CompletedCheckpoint checkpoint() {
        return checkpoint;
    }

    static InputStream open(
            CheckpointFileSystem fs,
            Path path,
            FileReference file,
            StreamHandle handle,
            long position,
            long checkpointId) {
        DataFileReader reader = DataFileReader.open(fs, path, null, file.length(), file.crc32c());
        try {
            CheckpointStorage.checkWriter(checkpointId, file, reader.header().checkpointId(), path);
            if (reader.uncompressedLength() != handle.length()) {
                throw new CorruptCheckpointException(
                        "stream length differs from its handle",
                        path.toString(),
                        0,
                        handle.length(),
                        reader.uncompressedLength());
            }
            checkPosition(handle, position);
            DataFileInputStream in = reader.openStream();
            in.seek(position);
            return in;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }
}

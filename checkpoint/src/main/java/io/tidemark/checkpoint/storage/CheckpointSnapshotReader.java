package io.tidemark.checkpoint.storage;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.format.DataFileInputStream;
import io.tidemark.checkpoint.format.DataFileReader;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The core {@link SnapshotReader} SPI over a completed checkpoint or savepoint: a stream is opened only if its file
 * is listed in {@code _metadata}, and only after the whole file verified (length and CRC32C against {@code
 * _metadata}, header, every block). Thread-safe; each returned stream belongs to one thread and must be closed.
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
            if (position < 0 || position > handle.length()) {
                throw new IllegalArgumentException("stream position out of range: stream=" + handle.name()
                        + ", position=" + position + ", length=" + handle.length());
            }
            DataFileInputStream in = reader.openStream();
            in.seek(position);
            return in;
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }
}

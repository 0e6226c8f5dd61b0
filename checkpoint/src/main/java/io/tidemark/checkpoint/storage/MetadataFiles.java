package io.tidemark.checkpoint.storage;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.format.CheckpointMetadata;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.MetadataCodec;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.ReadableFile;
import io.tidemark.checkpoint.fs.WritableFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Writes {@code _metadata} by the commit protocol and loads it back verified. */
final class MetadataFiles {
    private MetadataFiles() {}

    /**
     * Steps 2 to 4 of the commit protocol (step 1, data fsynced, is the caller's): {@code _metadata.tmp} written and
     * fsynced, renamed to {@code _metadata}, directory fsynced.
     */
    static void commit(CheckpointFileSystem fs, Path dir, CheckpointMetadata metadata) {
        Path tmp = dir.resolve(CheckpointLayout.METADATA_TMP);
        fs.delete(tmp);
        try (WritableFile out = fs.create(tmp)) {
            out.write(ByteBuffer.wrap(MetadataCodec.encode(metadata)));
            out.sync();
        }
        CrashPoint.hit(CrashPoint.AFTER_METADATA_TMP_FSYNC);
        final Path metadataFile = dir.resolve(CheckpointLayout.METADATA);
        fs.rename(tmp, metadataFile);
        CrashPoint.hit(CrashPoint.AFTER_RENAME);
        try {
            fs.syncDirectory(dir);
        } catch (RuntimeException e) {
            // The caller is told this checkpoint failed: take the rename back, so that whatever the abort cannot delete
            // is not found as a committed checkpoint at the next start (a crash instead of an error still is).
            try {
                fs.rename(metadataFile, tmp);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        CrashPoint.hit(CrashPoint.AFTER_DIRECTORY_FSYNC);
    }

    /**
     * Loads and verifies {@code dir/_metadata}, and checks every file it references exists with its recorded length
     * (their content is verified when read).
     */
    static CompletedCheckpoint load(CheckpointFileSystem fs, Path dir, Path sharedDir, long expectedId) {
        Path file = dir.resolve(CheckpointLayout.METADATA);
        CheckpointMetadata m = MetadataCodec.decode(readAll(fs, file), file.toString(), expectedId);
        CompletedCheckpoint cp = new CompletedCheckpoint(dir, m.savepoint() ? null : sharedDir, m);
        for (FileReference f : m.files()) {
            Path p = cp.resolve(f);
            if (!fs.exists(p)) {
                throw new CorruptCheckpointException(
                        "file referenced by _metadata is missing", p.toString(), 0, f.length() + " bytes", "absent");
            }
            long size = fs.size(p);
            if (size != f.length()) {
                throw new CorruptCheckpointException(
                        "file length differs from _metadata",
                        p.toString(),
                        Math.min(size, f.length()),
                        f.length(),
                        size);
            }
        }
        return cp;
    }

    static byte[] readAll(CheckpointFileSystem fs, Path file) {
        if (!fs.exists(file)) {
            throw new CorruptCheckpointException("metadata file missing", file.toString(), 0, "present", "absent");
        }
        try (ReadableFile in = fs.openRead(file)) {
            long size = in.size();
            if (size > MetadataCodec.MAX_LENGTH) {
                throw new CorruptCheckpointException(
                        "metadata file too large", file.toString(), 0, "<= " + MetadataCodec.MAX_LENGTH, size);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            int n = in.read(buf, 0);
            if (n != size) {
                throw new CorruptCheckpointException("metadata file shrank while read", file.toString(), n, size, n);
            }
            return buf.array();
        }
    }
}

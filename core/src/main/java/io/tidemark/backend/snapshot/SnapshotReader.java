package io.tidemark.backend.snapshot;

import java.io.InputStream;

/**
 * Opens snapshot streams for restore. Implementations verify what they hand out: a stream that fails its checks raises
 * {@link io.tidemark.CorruptCheckpointException} and yields no bytes past the failure. Thread-safe.
 */
public interface SnapshotReader {
    /** Opens {@code handle} positioned at logical offset {@code position}. */
    InputStream open(StreamHandle handle, long position);

    default InputStream open(StreamHandle handle) {
        return open(handle, 0);
    }
}

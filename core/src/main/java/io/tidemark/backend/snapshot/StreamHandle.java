package io.tidemark.backend.snapshot;

import io.tidemark.ConfigurationException;

/**
 * A durable byte stream written through a {@link SnapshotStorage}. The name is the storage's own (a relative path for
 * file storage); backends treat it as opaque.
 *
 * @param name storage-relative name of the stream
 * @param length number of logical (uncompressed) bytes written
 * @param shared whether later incremental snapshots may reference it
 */
public record StreamHandle(String name, long length, boolean shared) {
    public StreamHandle {
        if (name == null || name.isEmpty() || length < 0) {
            throw new ConfigurationException("invalid stream handle: name=" + name + ", length=" + length);
        }
    }
}

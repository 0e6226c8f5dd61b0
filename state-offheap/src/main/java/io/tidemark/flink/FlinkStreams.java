package io.tidemark.flink;

import io.tidemark.StateAccessException;
import io.tidemark.StorageIOException;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StreamHandle;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.runtime.state.StreamStateHandle;

/**
 * The store's snapshot streams that live in Flink's checkpoint storage, by the names the store's handles give them:
 * uploaded by incremental checkpoints, or listed by the checkpoints a backend was restored from. The store reads them
 * back through this reader, and a checkpoint handle lists them as Flink shared state.
 *
 * <p>Threads: snapshot threads register uploads while the task thread looks streams up; the map is concurrent.
 */
final class FlinkStreams implements SnapshotReader {
    private final Map<String, StreamStateHandle> streams = new ConcurrentHashMap<>();

    /** The Flink handle of a stream the store wrote or was restored with. */
    StreamStateHandle handle(String name) {
        StreamStateHandle handle = streams.get(name);
        if (handle == null) {
            throw new StateAccessException("no Flink handle for the store's stream " + name);
        }
        return handle;
    }

    /** Makes a stream in Flink's checkpoint storage known under {@code name}. */
    void register(String name, StreamStateHandle handle) {
        streams.put(name, handle);
    }

    /** Forgets every stream but {@code keep}: the streams no retained checkpoint of this backend lists. */
    void retainOnly(Set<String> keep) {
        streams.keySet().retainAll(keep);
    }

    @Override
    public InputStream open(StreamHandle stream, long position) {
        StreamStateHandle handle = handle(stream.name());
        try {
            FSDataInputStream in = handle.openInputStream();
            in.seek(position);
            return in;
        } catch (IOException e) {
            throw new StorageIOException("cannot read the store's stream " + stream.name() + " at " + position, e);
        }
    }
}

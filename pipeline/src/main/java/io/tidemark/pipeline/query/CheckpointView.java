package io.tidemark.pipeline.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.pipeline.checkpoint.CheckpointMetadata;
import io.tidemark.pipeline.checkpoint.CheckpointStorage;
import io.tidemark.pipeline.checkpoint.TaskState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads queryable states as of the latest completed checkpoint. The keyed handles of the state's operator are restored
 * into a private heap backend covering every key group (once per checkpoint and operator, then reused), so reads never
 * touch the live tables. Backends restore snapshots in the canonical format of any backend; the off-heap backend's
 * incremental checkpoints are in its native format, which only it can open: those reads answer 503 naming the reason
 * (savepoints are canonical and readable). Thread-safe: one read at a time.
 */
public final class CheckpointView implements AutoCloseable {
    private final Supplier<CheckpointStorage.Located> latestCheckpoint;
    private final Map<String, KeyedStateBackend<Object>> restored = new HashMap<>();
    private long restoredCheckpoint = -1;

    /** @param latestCheckpoint the newest completed checkpoint of the job's storage, or {@code null} if none */
    public CheckpointView(Supplier<CheckpointStorage.Located> latestCheckpoint) {
        this.latestCheckpoint = latestCheckpoint;
    }

    synchronized QueryResponse read(QueryService.StateInfo info, Object key, String keyText) {
        CheckpointStorage.Located latest;
        try {
            latest = latestCheckpoint.get();
        } catch (RuntimeException e) {
            return QueryResponse.unavailable("latest checkpoint not readable: " + e.getMessage());
        }
        if (latest == null) {
            return QueryResponse.unavailable("no completed checkpoint yet");
        }
        CheckpointMetadata metadata = latest.metadata();
        if (metadata.checkpointId() != restoredCheckpoint) {
            closeRestored();
            restoredCheckpoint = metadata.checkpointId();
        }
        KeyedStateBackend<Object> backend;
        try {
            backend = restored.get(info.operator());
            if (backend == null) {
                backend = restore(info, latest);
                restored.put(info.operator(), backend);
            }
        } catch (RuntimeException e) {
            return QueryResponse.unavailable(
                    "checkpoint " + metadata.checkpointId() + " cannot be read here: " + e.getMessage());
        }
        backend.setCurrentKey(key);
        JsonNode value = StateValues.read(backend.getOrCreateKeyedState(info.descriptor()));
        if (value == null) {
            QueryResponse absent = QueryResponse.keyNotFound("no value for key in checkpoint " + metadata.checkpointId()
                    + ": state=" + info.name() + ", key=" + keyText);
            return new QueryResponse(absent.status(), absent.body(), metadata.checkpointId());
        }
        return new QueryResponse(200, value, metadata.checkpointId());
    }

    private KeyedStateBackend<Object> restore(QueryService.StateInfo info, CheckpointStorage.Located latest) {
        CheckpointMetadata metadata = latest.metadata();
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (TaskState task : metadata.tasksOf(info.operator())) {
            if (task.keyed() != null) {
                handles.add(task.keyed());
            }
        }
        KeyedStateBackend<Object> backend = new HeapStateBackend()
                .createKeyedStateBackend(new KeyedBackendParameters<>(
                        info.operator() + "-at-checkpoint",
                        info.keySerializer(),
                        metadata.maxParallelism(),
                        KeyGroupRange.all(metadata.maxParallelism()),
                        TtlClock.SYSTEM,
                        Path.of(System.getProperty("java.io.tmpdir"), "tidemark-query-view")));
        try {
            if (!handles.isEmpty()) {
                backend.restore(handles, latest.reader());
            }
        } catch (RuntimeException e) {
            backend.close();
            String formats = handles.stream()
                    .map(KeyedStateHandle::format)
                    .distinct()
                    .toList()
                    .toString();
            throw new IllegalStateException(
                    "snapshot formats " + formats + " not readable by the heap reader ("
                            + e.getMessage()
                            + "); off-heap incremental checkpoints are native: read a savepoint offline, or"
                            + " run with --backend heap",
                    e);
        }
        return backend;
    }

    private void closeRestored() {
        for (KeyedStateBackend<Object> b : restored.values()) {
            b.close();
        }
        restored.clear();
    }

    @Override
    public synchronized void close() {
        closeRestored();
    }
}

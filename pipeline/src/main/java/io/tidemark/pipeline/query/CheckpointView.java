package io.tidemark.pipeline.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.StorageIOException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.job.OperatorSnapshot;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.checkpoint.storage.CheckpointSnapshotReader;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.pipeline.queryable.StateValues;
import io.tidemark.state.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads queryable states as of the latest completed checkpoint. The keyed handles of the state's operator are restored
 * into a private backend covering every key group (once per checkpoint and operator, then reused), so reads never
 * touch the live tables: a heap backend for canonical snapshots (any backend's), else a fresh instance of the job's own
 * backend for its native snapshots (the off-heap backend's incremental checkpoints), with its files under a work
 * directory deleted when a newer checkpoint replaces them. A snapshot neither can open answers 503 with the reason.
 * Thread-safe: one read at a time.
 */
public final class CheckpointView implements AutoCloseable {
    private final Supplier<CompletedCheckpoint> latestCheckpoint;
    private final Supplier<StateBackend> nativeBackend;
    private final Path workDirectory;
    private final Map<String, KeyedStateBackend<Object>> restored = new HashMap<>();
    private long restoredCheckpoint = -1;

    /**
     * @param latestCheckpoint the newest completed checkpoint of the job's storage, or {@code null} if none
     * @param nativeBackend creates the job's backend, to open its native snapshots; {@code null}: heap reader only
     * @param workDirectory where restored native state lives (deleted and recreated per checkpoint)
     */
    public CheckpointView(
            Supplier<CompletedCheckpoint> latestCheckpoint, Supplier<StateBackend> nativeBackend, Path workDirectory) {
        this.latestCheckpoint = latestCheckpoint;
        this.nativeBackend = nativeBackend;
        this.workDirectory = workDirectory;
    }

    synchronized QueryResponse read(QueryService.StateInfo info, Object key, String keyText) {
        CompletedCheckpoint latest;
        try {
            latest = latestCheckpoint.get();
        } catch (RuntimeException e) {
            return QueryResponse.unavailable("latest checkpoint not readable: " + e.getMessage());
        }
        if (latest == null) {
            return QueryResponse.unavailable("no completed checkpoint yet");
        }
        long checkpointId = latest.checkpointId();
        if (checkpointId != restoredCheckpoint) {
            closeRestored();
            restoredCheckpoint = checkpointId;
        }
        KeyedStateBackend<Object> backend;
        try {
            backend = restored.get(info.operator());
            if (backend == null) {
                backend = restore(info, latest);
                restored.put(info.operator(), backend);
            }
        } catch (RuntimeException e) {
            return QueryResponse.unavailable("checkpoint " + checkpointId + " cannot be read here: " + e.getMessage());
        }
        backend.setCurrentKey(key);
        State state = backend.getOrCreateKeyedState(info.descriptor());
        // read-only: a read must not refresh TTL or drop expired entries in the view, or later reads would differ
        // from the checkpoint they claim to answer from
        JsonNode value = backend.readOnly(() -> StateValues.read(state));
        if (value == null) {
            QueryResponse absent = QueryResponse.keyNotFound(
                    "no value for key in checkpoint " + checkpointId + ": state=" + info.name() + ", key=" + keyText);
            return new QueryResponse(absent.status(), absent.body(), checkpointId);
        }
        return new QueryResponse(200, value, checkpointId);
    }

    private KeyedStateBackend<Object> restore(QueryService.StateInfo info, CompletedCheckpoint latest) {
        OperatorSnapshot operator = JobSnapshot.of(latest).operator(info.operator());
        if (operator == null) {
            throw new IllegalStateException("operator not in checkpoint: operator=" + info.operator());
        }
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (SubtaskState s : operator.subtasks()) {
            handles.addAll(s.keyedHandles());
        }
        try {
            return restoreInto(new HeapStateBackend(), info, latest, operator.maxParallelism(), handles);
        } catch (RuntimeException heapFailure) {
            if (nativeBackend == null) {
                throw heapFailure;
            }
            // native (e.g. off-heap incremental) snapshots: only the backend that wrote them can open them
            try {
                return restoreInto(nativeBackend.get(), info, latest, operator.maxParallelism(), handles);
            } catch (RuntimeException e) {
                e.addSuppressed(heapFailure);
                String formats = handles.stream()
                        .map(KeyedStateHandle::format)
                        .distinct()
                        .toList()
                        .toString();
                throw new IllegalStateException(
                        "snapshot formats " + formats + " not readable by the heap or the job's backend: "
                                + e.getMessage(),
                        e);
            }
        }
    }

    private KeyedStateBackend<Object> restoreInto(
            StateBackend stateBackend,
            QueryService.StateInfo info,
            CompletedCheckpoint latest,
            int maxParallelism,
            List<KeyedStateHandle> handles) {
        Path work = workDirectory.resolve("chk-" + latest.checkpointId() + "-" + info.operator() + "-"
                + stateBackend.getClass().getSimpleName());
        KeyedStateBackend<Object> backend = stateBackend.createKeyedStateBackend(new KeyedBackendParameters<>(
                info.operator() + "-at-checkpoint",
                info.keySerializer(),
                maxParallelism,
                KeyGroupRange.all(maxParallelism),
                TtlClock.SYSTEM,
                work));
        try {
            if (!handles.isEmpty()) {
                backend.restore(handles, new CheckpointSnapshotReader(NioCheckpointFileSystem.INSTANCE, latest));
            }
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private void closeRestored() {
        for (KeyedStateBackend<Object> b : restored.values()) {
            b.close();
        }
        restored.clear();
        deleteWorkDirectory();
    }

    private void deleteWorkDirectory() {
        if (!Files.exists(workDirectory)) {
            return;
        }
        try (var walk = Files.walk(workDirectory)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            for (int i = paths.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(paths.get(i));
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot delete query view files: dir=" + workDirectory + ": " + e, e);
        }
    }

    @Override
    public synchronized void close() {
        closeRestored();
    }
}

package io.tidemark.pipeline.checkpoint;

import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Triggers checkpoints at the sources, collects every instance's acknowledgement, commits the checkpoint through the
 * {@link CheckpointStorage} and only then tells the instances it is complete; a checkpoint not acknowledged within the
 * timeout, or declined, is aborted. One checkpoint in flight at a time. When every source has reached the end of a
 * bounded input, the next checkpoint is the final one: once it is committed the sources are told to end the input.
 *
 * <p>Threads: its own scheduler thread triggers, times out and commits; snapshot threads acknowledge; operator threads
 * read {@link #storageFor} and report finished sources. State is guarded by {@code this}.
 */
public final class CheckpointCoordinator implements AutoCloseable {
    /** How the coordinator reaches the instances; each call only enqueues (never blocks the coordinator). */
    public interface TaskGateway {
        void triggerCheckpoint(long checkpointId);

        void notifyCheckpointComplete(long checkpointId);

        void notifyCheckpointAborted(long checkpointId);

        void endInput();
    }

    /** Observes checkpoint outcomes (progress lines, metrics, tests). */
    public interface Listener {
        void completed(long checkpointId, String location, long bytes, long durationMillis, long maxSyncPauseNanos);

        void aborted(long checkpointId, String reason);
    }

    /** The checkpoint in flight; guarded by the coordinator. */
    private static final class Pending {
        final long id;
        final SnapshotStorage storage;
        final long startMillis;
        final boolean isFinal;
        final List<TaskState> acks = new ArrayList<>();
        /** Set once every task acknowledged: from then on it is committed or aborted, never timed out. */
        boolean committing;
        /** Non-null for a savepoint. */
        final CheckpointStorage.SavepointWriter savepoint;

        final CompletableFuture<String> savepointResult;

        Pending(long id, SnapshotStorage storage, long startMillis, boolean isFinal) {
            this(id, storage, startMillis, isFinal, null, null);
        }

        Pending(
                long id,
                SnapshotStorage storage,
                long startMillis,
                boolean isFinal,
                CheckpointStorage.SavepointWriter savepoint,
                CompletableFuture<String> savepointResult) {
            this.id = id;
            this.storage = storage;
            this.startMillis = startMillis;
            this.isFinal = isFinal;
            this.savepoint = savepoint;
            this.savepointResult = savepointResult;
        }

        long id() {
            return id;
        }

        SnapshotStorage storage() {
            return storage;
        }

        long startMillis() {
            return startMillis;
        }

        boolean isFinal() {
            return isFinal;
        }

        List<TaskState> acks() {
            return acks;
        }
    }

    private final CheckpointStorage storage;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final int maxParallelism;
    private final int taskCount;
    private final List<TaskGateway> sources;
    private final List<TaskGateway> tasks;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private final ArrayDeque<SavepointRequest> savepointRequests = new ArrayDeque<>();
    private volatile Pending pending;
    private long lastTriggerMillis;
    private long maxSyncPauseNanos;
    private int finishedSources;
    private boolean ended;
    private boolean closed;

    public CheckpointCoordinator(
            CheckpointStorage storage,
            long intervalMillis,
            long timeoutMillis,
            int maxParallelism,
            List<TaskGateway> sources,
            List<TaskGateway> tasks,
            Listener listener) {
        this.storage = storage;
        this.intervalMillis = intervalMillis;
        this.timeoutMillis = timeoutMillis;
        this.maxParallelism = maxParallelism;
        this.taskCount = tasks.size();
        this.sources = List.copyOf(sources);
        this.tasks = List.copyOf(tasks);
        this.listener = listener;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tidemark-checkpoint-coordinator");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        lastTriggerMillis = System.currentTimeMillis();
        long tick = Math.max(5, Math.min(50, intervalMillis / 4));
        scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private record SavepointRequest(Path target, boolean terminate, CompletableFuture<String> result) {}

    /**
     * Requests a savepoint into a new directory under {@code target}, taken as soon as no checkpoint is in flight. A
     * savepoint is a canonical, self-contained snapshot; it does not commit sink transactions (they commit with the
     * next checkpoint), so restoring an older checkpoint later never finds output committed past it. With
     * {@code terminate} no checkpoint is triggered after it (stop with savepoint): restoring the savepoint then
     * continues the output exactly once.
     *
     * @return completes with the savepoint directory, or exceptionally with the reason it failed
     */
    public synchronized CompletableFuture<String> triggerSavepoint(Path target, boolean terminate) {
        CompletableFuture<String> result = new CompletableFuture<>();
        if (closed || ended) {
            result.completeExceptionally(new IllegalStateException("the job is not running"));
        } else {
            savepointRequests.add(new SavepointRequest(target, terminate, result));
        }
        return result;
    }

    /** What the instances snapshot for {@code id}: canonical for savepoints, the backend's full format otherwise. */
    public SnapshotKind kindFor(long id) {
        Pending p = pending;
        return p != null && p.id() == id && p.savepoint != null ? SnapshotKind.CANONICAL : SnapshotKind.INCREMENTAL;
    }

    /** The storage of checkpoint {@code id} while it is in flight; {@code null} once aborted or unknown. */
    public SnapshotStorage storageFor(long id) {
        Pending p = pending;
        return p != null && p.id() == id ? p.storage() : null;
    }

    /** Called by a source instance that reached the end of its bounded input (after its final watermark). */
    public synchronized void sourceFinished() {
        finishedSources++;
    }

    public synchronized void acknowledge(long id, TaskState state, long syncPauseNanos) {
        Pending p = pending;
        if (closed || p == null || p.id() != id) {
            return;
        }
        p.acks().add(state);
        maxSyncPauseNanos = Math.max(maxSyncPauseNanos, syncPauseNanos);
        if (p.acks().size() == taskCount && !p.committing) {
            p.committing = true;
            scheduler.execute(() -> complete(p));
        }
    }

    public synchronized void decline(long id, String task, Throwable cause) {
        Pending p = pending;
        if (p != null && p.id() == id && !p.committing) {
            abort(p, "declined by " + task + ": " + cause);
        }
    }

    private synchronized void tick() {
        if (closed || ended) {
            return;
        }
        long now = System.currentTimeMillis();
        Pending p = pending;
        if (p != null) {
            if (!p.committing && now - p.startMillis() > timeoutMillis) {
                abort(
                        p,
                        "timed out after " + timeoutMillis + " ms with "
                                + p.acks().size() + "/" + taskCount + " acknowledgements");
            }
            return;
        }
        SavepointRequest request = savepointRequests.poll();
        if (request != null) {
            triggerSavepointNow(now, request);
            return;
        }
        boolean allFinished = finishedSources == sources.size();
        if (allFinished || now - lastTriggerMillis >= intervalMillis) {
            trigger(now, allFinished);
        }
    }

    private void trigger(long now, boolean isFinal) {
        long id = storage.nextCheckpointId();
        SnapshotStorage snapshotStorage;
        try {
            snapshotStorage = storage.begin(id);
        } catch (RuntimeException e) {
            listener.aborted(id, "cannot start: " + e.getMessage());
            lastTriggerMillis = now;
            return;
        }
        lastTriggerMillis = now;
        maxSyncPauseNanos = 0;
        pending = new Pending(id, snapshotStorage, now, isFinal);
        for (TaskGateway source : sources) {
            source.triggerCheckpoint(id);
        }
    }

    private void triggerSavepointNow(long now, SavepointRequest request) {
        long id = storage.nextCheckpointId();
        CheckpointStorage.SavepointWriter writer;
        try {
            writer = storage.beginSavepoint(id, request.target());
        } catch (RuntimeException e) {
            request.result().completeExceptionally(e);
            return;
        }
        maxSyncPauseNanos = 0;
        pending = new Pending(id, writer.storage(), now, request.terminate(), writer, request.result());
        for (TaskGateway source : sources) {
            source.triggerCheckpoint(id);
        }
    }

    private void completeSavepoint(Pending p) {
        String path;
        try {
            path = p.savepoint.commit(new CheckpointMetadata(p.id(), p.startMillis(), maxParallelism, p.acks()));
        } catch (RuntimeException e) {
            synchronized (this) {
                abort(p, "savepoint commit failed: " + e.getMessage());
            }
            return;
        }
        synchronized (this) {
            if (pending == p) {
                pending = null;
            }
            if (p.isFinal()) {
                ended = true;
            }
        }
        p.savepointResult.complete(path);
    }

    private void complete(Pending p) {
        if (p.savepoint != null) {
            completeSavepoint(p);
            return;
        }
        long bytes = 0;
        synchronized (this) {
            if (closed || pending != p) {
                return;
            }
            for (TaskState task : p.acks()) {
                if (task.keyed() != null) {
                    for (StreamHandle stream : task.keyed().streams()) {
                        bytes += stream.length();
                    }
                }
                bytes += task.operatorState().stream().length();
            }
        }
        try {
            storage.commit(new CheckpointMetadata(p.id(), p.startMillis(), maxParallelism, p.acks()), bytes);
        } catch (RuntimeException e) {
            synchronized (this) {
                abort(p, "commit failed: " + e.getMessage());
            }
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            pending = null;
            listener.completed(
                    p.id(),
                    storage.describe(p.id()),
                    bytes,
                    System.currentTimeMillis() - p.startMillis(),
                    maxSyncPauseNanos);
            for (TaskGateway task : tasks) {
                task.notifyCheckpointComplete(p.id());
            }
            if (p.isFinal()) {
                ended = true;
                for (TaskGateway source : sources) {
                    source.endInput();
                }
            }
        }
    }

    private void abort(Pending p, String reason) {
        if (pending == p) {
            pending = null;
        }
        if (p.savepoint != null) {
            p.savepoint.abort(reason);
            p.savepointResult.completeExceptionally(new IllegalStateException("savepoint aborted: " + reason));
            return;
        }
        storage.abort(p.id());
        listener.aborted(p.id(), reason);
        for (TaskGateway task : tasks) {
            task.notifyCheckpointAborted(p.id());
        }
    }

    /** Stops triggering; an in-flight checkpoint is discarded. */
    @Override
    public void close() {
        Pending p;
        synchronized (this) {
            closed = true;
            p = pending;
            pending = null;
            for (SavepointRequest request : savepointRequests) {
                request.result().completeExceptionally(new IllegalStateException("the job stopped"));
            }
            savepointRequests.clear();
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (p != null && p.savepoint != null) {
            p.savepoint.abort("the job stopped");
            p.savepointResult.completeExceptionally(new IllegalStateException("the job stopped"));
        } else if (p != null) {
            storage.abort(p.id());
        }
    }
}

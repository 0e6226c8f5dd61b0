package io.tidemark.pipeline.runtime;

import io.tidemark.ConfigurationException;
import io.tidemark.StorageIOException;
import io.tidemark.TidemarkException;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineConfig;
import io.tidemark.pipeline.checkpoint.CheckpointCoordinator;
import io.tidemark.pipeline.checkpoint.CheckpointMetadata;
import io.tidemark.pipeline.checkpoint.CheckpointStorage;
import io.tidemark.pipeline.checkpoint.StateDirectoryLock;
import io.tidemark.pipeline.metrics.JobMetrics;
import io.tidemark.pipeline.query.CheckpointHistory;
import io.tidemark.pipeline.query.QueryTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.management.ObjectName;

/**
 * Runs a pipeline to the end of its input: locks the state directory, wipes live working files (they are never trusted
 * after an unclean stop), restores the chosen checkpoint, and restarts the whole pipeline from the latest completed
 * checkpoint after any instance failure, as the restart strategy allows. Call from one thread.
 */
public final class JobRunner {
    /** Which checkpoint a run starts from. */
    public sealed interface RestoreMode {
        /** Fresh start; refused if the checkpoint directory already holds a completed checkpoint. */
        record None() implements RestoreMode {}

        /** The newest complete checkpoint of the checkpoint directory, or a fresh start if there is none. */
        record Latest() implements RestoreMode {}

        /** A given checkpoint directory ({@code .../chk-N}) or its {@code _metadata} file. */
        record FromPath(Path path) implements RestoreMode {}
    }

    /** Observes the run: readiness, checkpoints, restarts. Called from runtime threads. */
    public interface Events extends CheckpointCoordinator.Listener {
        default void ready(int attempt, Long restoredCheckpoint) {}

        default void restarting(int attempt, Throwable cause, long delayMillis) {}
    }

    /**
     * What a finished run reports.
     *
     * @param stopped true when {@link #stop()} ended the run before the end of its input
     */
    public record Result(int restarts, long restoredCheckpoint, JobMetrics metrics, boolean stopped) {}

    private final Pipeline pipeline;
    private final PipelineConfig config;
    private final Events events;
    private final CheckpointHistory checkpointHistory;
    private final JobMetrics metrics = new JobMetrics();
    private volatile JobAttempt current;
    private volatile CheckpointStorage liveStorage;
    private volatile boolean stopRequested;

    public JobRunner(Pipeline pipeline, Events events) {
        this.pipeline = pipeline;
        this.config = pipeline.config();
        this.checkpointHistory = new CheckpointHistory(events, this::latestCheckpointMetadata);
        this.events = checkpointHistory;
    }

    public JobMetrics metrics() {
        return metrics;
    }

    public PipelineConfig config() {
        return config;
    }

    /** Any thread: the query inboxes of the running attempt; empty while none runs (starting, restoring, restarting). */
    public List<QueryTarget> queryTargets() {
        JobAttempt attempt = current;
        return attempt == null ? List.of() : attempt.queryTargets();
    }

    /**
     * Any thread: the newest completed checkpoint of the job's storage and a reader of its streams, or {@code null}
     * when there is none. Retention may delete it while it is read: readers treat an I/O error as "try again".
     */
    public CheckpointStorage.Located latestCheckpoint() {
        CheckpointStorage s = liveStorage;
        if (s == null) {
            // not running (before the start or after the end): the directory is not locked, read it directly
            try {
                return Files.isDirectory(config.checkpointDirectory())
                        ? CheckpointStorage.locate(config.checkpointDirectory())
                        : null;
            } catch (RuntimeException e) {
                return null;
            }
        }
        CheckpointMetadata latest = s.latest().orElse(null);
        return latest == null
                ? null
                : new CheckpointStorage.Located(
                        latest, s.readerFor(latest.checkpointId()), s.describe(latest.checkpointId()));
    }

    /** Any thread: completed and aborted checkpoints of this run, for {@code GET /checkpoints}. */
    public CheckpointHistory checkpointHistory() {
        return checkpointHistory;
    }

    private CheckpointMetadata latestCheckpointMetadata() {
        CheckpointStorage s = liveStorage;
        return s == null ? null : s.latest().orElse(null);
    }

    /** Any thread: true while an attempt is built or running. */
    public boolean isRunning() {
        return current != null;
    }

    /**
     * Runs to the end of the input.
     *
     * @throws TidemarkException when the restart budget is exhausted (with the last failure as cause) or the start is
     *     refused (lock held, no checkpoint to restore, max parallelism changed)
     */
    public Result run(RestoreMode mode) throws Exception {
        StateDirectoryLock lock = StateDirectoryLock.acquire(config.stateDirectory());
        CheckpointStorage storage = null;
        metrics.registerMBean(
                ObjectName.quote(config.stateDirectory().toAbsolutePath().toString()));
        try {
            storage = CheckpointStorage.open(config.checkpointDirectory(), config.retainedCheckpoints());
            liveStorage = storage;
            CheckpointStorage.Located initial = initialCheckpoint(mode, storage);
            CheckpointMetadata toRestore = initial == null ? null : initial.metadata();
            SnapshotReader reader = initial == null ? null : initial.reader();
            long restoredId = toRestore == null ? 0 : toRestore.checkpointId();
            storage.reserveIdsThrough(restoredId);
            for (int attempt = 0; ; attempt++) {
                Path work = config.stateDirectory().resolve("work");
                wipe(work);
                if (stopRequested) {
                    return new Result(attempt, restoredId, metrics, true);
                }
                JobAttempt jobAttempt =
                        new JobAttempt(pipeline.nodes(), config, storage, toRestore, reader, work, events, attempt);
                Throwable failure;
                current = jobAttempt;
                try {
                    jobAttempt.build();
                    if (stopRequested) {
                        jobAttempt.requestStop();
                    }
                    metrics.attemptStarted(jobAttempt.taskMetrics(), names(true), sinkNames());
                    events.ready(attempt, toRestore == null ? null : toRestore.checkpointId());
                    failure = jobAttempt.run();
                } catch (ConfigurationException e) {
                    jobAttempt.shutdown();
                    throw e;
                } catch (Exception e) {
                    jobAttempt.shutdown();
                    failure = e;
                }
                current = null;
                if (failure == null) {
                    return new Result(attempt, restoredId, metrics, stopRequested);
                }
                if (attempt >= config.restartStrategy().maxAttempts()) {
                    throw new TidemarkException(
                            "pipeline failed, restart attempts exhausted: attempts=" + attempt + ", max="
                                    + config.restartStrategy().maxAttempts() + ": " + failure.getMessage(),
                            failure);
                }
                long delay =
                        config.restartStrategy().delayBeforeAttempt(attempt + 1).toMillis();
                events.restarting(attempt + 1, failure, delay);
                metrics.restarted();
                Thread.sleep(delay);
                CheckpointMetadata latest = storage.latest().orElse(null);
                if (latest != null) {
                    toRestore = latest;
                    reader = storage.readerFor(latest.checkpointId());
                }
            }
        } finally {
            liveStorage = null;
            if (storage != null) {
                storage.close();
            }
            metrics.unregisterMBean();
            lock.close();
        }
    }

    /**
     * Takes a savepoint of the running pipeline into a new directory under {@code target}; with {@code terminate} no
     * checkpoint follows it (use before {@link #stop()}). Any thread.
     */
    public CompletableFuture<String> triggerSavepoint(Path target, boolean terminate) {
        JobAttempt attempt = current;
        CheckpointCoordinator coordinator = attempt == null ? null : attempt.coordinator();
        if (coordinator == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the job is not running"));
        }
        return coordinator.triggerSavepoint(target, terminate);
    }

    /** Stops the run: every instance is cancelled and {@link #run} returns a result with {@code stopped}. */
    public void stop() {
        stopRequested = true;
        JobAttempt attempt = current;
        if (attempt != null) {
            attempt.requestStop();
        }
    }

    private CheckpointStorage.Located initialCheckpoint(RestoreMode mode, CheckpointStorage storage) {
        if (mode instanceof RestoreMode.FromPath p) {
            return CheckpointStorage.locate(p.path());
        }
        CheckpointMetadata latest = storage.latest().orElse(null);
        if (mode instanceof RestoreMode.None && latest != null) {
            throw new ConfigurationException("checkpoint directory already holds a completed checkpoint: dir="
                    + config.checkpointDirectory() + ", checkpoint=" + latest.checkpointId()
                    + "; pass --restore latest to continue it, or use an empty directory");
        }
        return latest == null
                ? null
                : new CheckpointStorage.Located(
                        latest, storage.readerFor(latest.checkpointId()), storage.describe(latest.checkpointId()));
    }

    private List<String> names(boolean sources) {
        List<String> result = new ArrayList<>();
        for (PlanNode node : pipeline.nodes()) {
            if (node.isSource() == sources) {
                result.add(node.name());
            }
        }
        return result;
    }

    private List<String> sinkNames() {
        List<String> result = new ArrayList<>();
        for (PlanNode node : pipeline.nodes()) {
            boolean hasChild = false;
            for (PlanNode other : pipeline.nodes()) {
                hasChild |= other.input() == node;
            }
            if (!hasChild) {
                result.add(node.name());
            }
        }
        return result;
    }

    private static void wipe(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    List<Path> paths = new ArrayList<>(walk.toList());
                    for (int i = paths.size() - 1; i >= 0; i--) {
                        Files.deleteIfExists(paths.get(i));
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageIOException("cannot wipe working directory: dir=" + dir + ": " + e, e);
        }
    }
}

package io.tidemark.pipeline.runtime;

import io.tidemark.ConfigurationException;
import io.tidemark.CorruptCheckpointException;
import io.tidemark.StorageIOException;
import io.tidemark.TidemarkException;
import io.tidemark.checkpoint.coordinator.CheckpointCoordinator;
import io.tidemark.checkpoint.format.CompressionConfig;
import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import io.tidemark.checkpoint.fs.DirectoryLock;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.metrics.JobMetrics;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.queryable.QueryTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.management.ObjectName;

/**
 * Runs a pipeline to the end of its input: locks the state directory, wipes live working files (they are never trusted
 * after an unclean stop), opens the checkpoint module's {@link CheckpointStorage} on the checkpoint directory, refuses
 * a snapshot that holds state of operators the job lacks (unless allowed), restores the chosen checkpoint or
 * savepoint, and restarts the whole pipeline from the latest completed checkpoint after any instance failure, as the
 * restart strategy allows. Too many consecutive failed checkpoints fail the run without a restart. Call {@link #run}
 * from one thread; the other methods from any.
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

    /** Observes the run: readiness, checkpoints, restarts. Called from runtime threads; must not block. */
    public interface Events {
        default void ready(int attempt, Long restoredCheckpoint) {}

        default void restarting(int attempt, Throwable cause, long delayMillis) {}

        /** The latest checkpoint failed verification and the restore policy fell back past it (P5: reported). */
        default void skippedCorruptCheckpoint(CorruptCheckpointException reason) {}

        /** Checkpoint {@code id} is durable at {@code location}; {@code bytes} on disk, shared files included. */
        default void completed(long id, String location, long bytes, long durationMillis, long maxSyncPauseNanos) {}

        default void aborted(long id, String reason) {}
    }

    /**
     * What a finished run reports.
     *
     * @param stopped true when {@link #stop()} ended the run before the end of its input
     */
    public record Result(int restarts, long restoredCheckpoint, JobMetrics metrics, boolean stopped) {}

    /** The state directory's lock file (the checkpoint root has its own, {@code _lock}). */
    public static final String STATE_LOCK = "LOCK";

    private final Pipeline pipeline;
    private final PipelineContext config;
    private final Events events;
    private final CheckpointHistory checkpointHistory;
    private final JobMetrics metrics = new JobMetrics();
    private final CheckpointFileSystem fs = NioCheckpointFileSystem.INSTANCE;
    private volatile JobAttempt current;
    private volatile List<QueryTarget> declaredQueryTargets = List.of();
    private volatile CheckpointStorage liveStorage;
    private volatile boolean stopRequested;

    public JobRunner(Pipeline pipeline, Events events) {
        this.pipeline = pipeline;
        this.config = pipeline.config();
        this.checkpointHistory = new CheckpointHistory(events, this::latestCheckpoint, metrics);
        this.events = checkpointHistory;
    }

    public JobMetrics metrics() {
        return metrics;
    }

    public PipelineContext config() {
        return config;
    }

    /** Any thread: the query inboxes of the running attempt; empty while none runs (starting, restoring, restarting). */
    public List<QueryTarget> queryTargets() {
        JobAttempt attempt = current;
        return attempt == null ? List.of() : attempt.queryTargets();
    }

    /**
     * Any thread: the query targets of the latest attempt built, kept after it ended, for what they declare (queryable
     * state names, descriptors, key serializers); never for reads. Empty before the first attempt is built.
     */
    public List<QueryTarget> declaredQueryTargets() {
        return declaredQueryTargets;
    }

    /**
     * Any thread: the newest completed checkpoint of the job's storage, or {@code null} when there is none. Outside a
     * run (before it starts or after it ended) it is read from the checkpoint directory, read-only. Retention may
     * delete it while it is read: readers treat an I/O error as "try again".
     */
    public CompletedCheckpoint latestCheckpoint() {
        CheckpointStorage s = liveStorage;
        if (s != null) {
            return s.latest();
        }
        try {
            return Files.isDirectory(config.checkpointDirectory())
                    ? CheckpointStorage.locateReadOnly(fs, config.checkpointDirectory())
                    : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Any thread: the rings of the running attempt (named {@code up#i->down#j}), for reading their {@link
     * Channel#backlog() backlog} only; empty while no attempt runs. Operators chained into their input's instance have
     * no ring. Allocates nothing.
     */
    public List<Channel> channels() {
        JobAttempt attempt = current;
        return attempt == null ? List.of() : attempt.channels();
    }

    /** Any thread: completed and aborted checkpoints of this run, for {@code GET /checkpoints}. */
    public CheckpointHistory checkpointHistory() {
        return checkpointHistory;
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
        DirectoryLock lock = DirectoryLock.acquire(fs, config.stateDirectory(), STATE_LOCK, "state directory");
        CheckpointStorage storage = null;
        metrics.registerMBean(
                ObjectName.quote(config.stateDirectory().toAbsolutePath().toString()));
        try {
            storage = CheckpointStorage.open(
                    new CheckpointStorageConfig(
                            config.checkpointDirectory(),
                            config.checkpointing().retained(),
                            CompressionConfig.DEFAULT,
                            config.checkpointing().inlineThreshold()),
                    fs,
                    config.checkpointing().restorePolicy());
            for (CorruptCheckpointException skipped : storage.recoveryReport().skippedCorrupt()) {
                events.skippedCorruptCheckpoint(skipped);
            }
            liveStorage = storage;
            CompletedCheckpoint toRestore = initialCheckpoint(mode, storage);
            if (toRestore != null) {
                NonRestoredState.check(
                        JobSnapshot.of(toRestore),
                        toRestore,
                        fs,
                        pipeline.nodes(),
                        config.checkpointing().allowNonRestoredState());
            }
            long restoredId = toRestore == null ? 0 : toRestore.checkpointId();
            for (int attempt = 0; ; attempt++) {
                Path work = config.stateDirectory().resolve("work");
                wipe(work);
                if (stopRequested) {
                    return new Result(attempt, restoredId, metrics, true);
                }
                JobAttempt jobAttempt =
                        new JobAttempt(pipeline.nodes(), config, storage, toRestore, work, events, attempt);
                Throwable failure;
                current = jobAttempt;
                try {
                    jobAttempt.build();
                    declaredQueryTargets = jobAttempt.declaredQueryTargets();
                    if (stopRequested) {
                        jobAttempt.requestStop();
                    }
                    metrics.attemptStarted(jobAttempt.taskMetrics(), names(true), sinkNames(), ringFedNames());
                    events.ready(attempt, toRestore == null ? null : toRestore.checkpointId());
                    failure = jobAttempt.run();
                } catch (ConfigurationException | CorruptCheckpointException e) {
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
                if (jobAttempt.fatal()) {
                    throw new TidemarkException("pipeline failed: " + failure.getMessage(), failure);
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
                CompletedCheckpoint latest = storage.latest();
                if (latest != null) {
                    toRestore = latest;
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
        return coordinator
                .triggerSavepoint(target.toAbsolutePath(), terminate)
                .thenApply(savepoint -> savepoint.directory().toString());
    }

    /** Stops the run: every instance is cancelled and {@link #run} returns a result with {@code stopped}. */
    public void stop() {
        stopRequested = true;
        JobAttempt attempt = current;
        if (attempt != null) {
            attempt.requestStop();
        }
    }

    private CompletedCheckpoint initialCheckpoint(RestoreMode mode, CheckpointStorage storage) {
        if (mode instanceof RestoreMode.FromPath p) {
            return CheckpointStorage.locateReadOnly(fs, p.path());
        }
        CompletedCheckpoint latest = storage.latest();
        if (mode instanceof RestoreMode.None && latest != null) {
            throw new ConfigurationException("checkpoint directory already holds a completed checkpoint: dir="
                    + config.checkpointDirectory() + ", checkpoint=" + latest.checkpointId()
                    + "; pass --restore latest to continue it, or use an empty directory");
        }
        return latest;
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

    private List<String> ringFedNames() {
        List<String> result = new ArrayList<>();
        for (PlanNode node : pipeline.nodes()) {
            if (!node.isSource() && !node.chainsOntoInput()) {
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
                hasChild |= other.consumes(node);
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

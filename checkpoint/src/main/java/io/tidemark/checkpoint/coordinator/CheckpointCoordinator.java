package io.tidemark.checkpoint.coordinator;

import io.tidemark.ConfigurationException;
import io.tidemark.TidemarkException;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.PendingCheckpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Triggers checkpoints and savepoints through a {@link TaskGateway}, collects the acknowledgements of {@code taskCount}
 * tasks, commits through {@link CheckpointStorage}, and reports one {@link CheckpointOutcome} per checkpoint to its
 * listeners, a completion only after the commit is durable; then tells the tasks (two-phase-commit sinks commit).
 *
 * <p>Time is driven from outside: call {@link #poll()} periodically (e.g. every 10-50 ms from one scheduler thread);
 * it expires checkpoints past their timeout and starts, in this order of precedence, a requested savepoint (once
 * nothing is in flight), the final checkpoint of a bounded input (once nothing is in flight, without waiting for the
 * interval), or a periodic checkpoint when {@link CheckpointCoordinatorConfig} allows. Ids increase monotonically from
 * the highest id the storage has seen; savepoints take ids from the same sequence. After more than {@code
 * tolerableConsecutiveFailures} failed checkpoints in a row the coordinator stops, aborts what is in flight and hands a
 * {@link TidemarkException} to the fatal-error handler once. Savepoint failures complete their future exceptionally
 * and do not count.
 *
 * <p>Thread-safe: {@link #acknowledge}/{@link #decline} come from task threads, {@link #poll()} from a scheduler,
 * {@link #triggerSavepoint} from any thread. Storage I/O, the gateway and listeners run outside the lock. Control
 * plane; allocates.
 */
public final class CheckpointCoordinator implements AutoCloseable {
    private final CheckpointCoordinatorConfig config;
    private final CheckpointStorage storage;
    private final int taskCount;
    private final TaskGateway gateway;
    private final LongSupplier nanoClock;
    private final Consumer<TidemarkException> fatalErrorHandler;
    private final TriggerSchedule schedule;
    private final List<CheckpointOutcomeListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, InFlightCheckpoint> inFlight = new TreeMap<>();
    private final ArrayDeque<SavepointRequest> savepointRequests = new ArrayDeque<>();

    private long lastId;
    private long lastStart = Long.MIN_VALUE;
    private long lastEnd = Long.MIN_VALUE;
    private boolean starting;
    private int consecutiveFailures;
    private long lastCompletedId = -1;
    private boolean stopped;
    private boolean inputFinished;
    /** No further checkpoint: the final one completed, or a terminating savepoint did. */
    private boolean ended;

    public CheckpointCoordinator(
            CheckpointCoordinatorConfig config,
            CheckpointStorage storage,
            int taskCount,
            TaskGateway gateway,
            LongSupplier nanoClock,
            Consumer<TidemarkException> fatalErrorHandler) {
        if (taskCount < 1) {
            throw new ConfigurationException("checkpoint task count must be >= 1: taskCount=" + taskCount);
        }
        this.config = config;
        this.storage = storage;
        this.taskCount = taskCount;
        this.gateway = gateway;
        this.nanoClock = nanoClock;
        this.fatalErrorHandler = fatalErrorHandler;
        this.schedule = new TriggerSchedule(config);
        this.lastId = Math.max(0, storage.highestCheckpointId());
        CompletedCheckpoint latest = storage.latest();
        this.lastCompletedId = latest == null ? -1 : latest.checkpointId();
    }

    public void addListener(CheckpointOutcomeListener listener) {
        listeners.add(listener);
    }

    public synchronized int inFlightCount() {
        return inFlight.size();
    }

    public synchronized long lastCompletedCheckpointId() {
        return lastCompletedId;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    /** Makes every later id greater than {@code id} (after restoring a snapshot taken elsewhere with that id). */
    public synchronized void reserveIdsThrough(long id) {
        lastId = Math.max(lastId, id);
    }

    /** Where tasks write their snapshot of {@code checkpointId}; {@code null} once it is no longer in flight. */
    public synchronized SnapshotStorage storageFor(long checkpointId) {
        InFlightCheckpoint c = inFlight.get(checkpointId);
        return c == null ? null : c.storage;
    }

    /** Canonical for a savepoint, incremental for a checkpoint; {@code null} once it is no longer in flight. */
    public synchronized SnapshotKind kindFor(long checkpointId) {
        InFlightCheckpoint c = inFlight.get(checkpointId);
        return c == null ? null : c.kind();
    }

    /**
     * Every source reached the end of its bounded input: the next checkpoint is the final one, started as soon as
     * nothing is in flight; once it completes the gateway's {@link TaskGateway#endInput()} is called and no further
     * checkpoint starts. A failed final checkpoint is retried.
     */
    public synchronized void inputFinished() {
        inputFinished = true;
    }

    /**
     * Requests a savepoint into a new directory {@code savepoint-<id>} under {@code targetDirectory}, taken as soon as
     * no checkpoint is in flight: canonical snapshots, self-contained, never touched by retention. It does not commit
     * sink transactions (they commit with the next checkpoint). With {@code terminate} no checkpoint starts after it
     * (stop with savepoint).
     *
     * @return completes with the savepoint, or exceptionally with the reason it failed
     */
    public CompletableFuture<CompletedCheckpoint> triggerSavepoint(Path targetDirectory, boolean terminate) {
        CompletableFuture<CompletedCheckpoint> result = new CompletableFuture<>();
        synchronized (this) {
            if (!stopped && !ended) {
                savepointRequests.add(new SavepointRequest(targetDirectory, terminate, result));
                return result;
            }
        }
        result.completeExceptionally(new IllegalStateException("the job is not running"));
        return result;
    }

    /** Expires checkpoints past their timeout, then starts a savepoint or checkpoint if one is due. */
    public void poll() {
        long now = nanoClock.getAsLong();
        List<InFlightCheckpoint> expired = new ArrayList<>();
        long id = -1;
        SavepointRequest savepoint = null;
        boolean isFinal = false;
        synchronized (this) {
            long timeout = config.timeout().toNanos();
            inFlight.values().removeIf(c -> {
                if (now - c.triggeredAtNanos >= timeout) {
                    expired.add(c);
                    return true;
                }
                return false;
            });
            if (!stopped && !ended && !starting) {
                boolean due;
                if (!savepointRequests.isEmpty()) {
                    due = inFlight.isEmpty();
                    savepoint = due ? savepointRequests.poll() : null;
                } else if (inputFinished) {
                    due = inFlight.isEmpty();
                    isFinal = due;
                } else {
                    due = schedule.isDue(now, inFlight.size(), lastStart, lastEnd);
                }
                if (due) {
                    id = ++lastId;
                    lastStart = now;
                    starting = true;
                }
            }
        }
        for (InFlightCheckpoint c : expired) {
            abortQuietly(c.pending, null);
            ended(c, new CheckpointOutcome.Expired(c.checkpointId, config.timeout()));
        }
        if (id >= 0) {
            start(id, now, savepoint, isFinal);
        }
    }

    private void start(long id, long now, SavepointRequest savepoint, boolean isFinal) {
        InFlightCheckpoint c;
        try {
            PendingCheckpoint pending = savepoint == null
                    ? storage.begin(id)
                    : storage.beginSavepoint(savepoint.directory().resolve("savepoint-" + id), id);
            c = new InFlightCheckpoint(id, now, pending, taskCount, savepoint, isFinal);
        } catch (TidemarkException | IllegalArgumentException | IllegalStateException e) {
            synchronized (this) {
                starting = false;
            }
            if (savepoint != null) {
                savepoint.result().completeExceptionally(e);
            } else {
                ended(null, new CheckpointOutcome.Aborted(id, "could not begin checkpoint: " + e.getMessage(), e));
            }
            return;
        }
        synchronized (this) {
            starting = false;
            if (stopped) {
                abortQuietly(c.pending, null);
                if (savepoint != null) {
                    savepoint.result().completeExceptionally(new IllegalStateException("the job stopped"));
                }
                return;
            }
            inFlight.put(id, c);
        }
        gateway.triggerCheckpoint(id, c.storage);
    }

    /**
     * A task's snapshot for checkpoint {@code checkpointId}. The last one commits the checkpoint on this thread.
     *
     * @return false if the checkpoint is no longer in flight (expired, aborted, unknown): the ack is ignored and the
     *     task must not assume its streams are kept
     */
    public boolean acknowledge(long checkpointId, TaskSnapshot snapshot) {
        InFlightCheckpoint complete;
        synchronized (this) {
            InFlightCheckpoint c = inFlight.get(checkpointId);
            if (c == null) {
                return false;
            }
            if (!c.acknowledge(snapshot)) {
                return true;
            }
            inFlight.remove(checkpointId);
            complete = c;
        }
        commit(complete);
        return true;
    }

    /** A task could not take its snapshot: the checkpoint is aborted. @return false if it was no longer in flight */
    public boolean decline(long checkpointId, int taskIndex, Throwable cause) {
        InFlightCheckpoint c;
        synchronized (this) {
            c = inFlight.remove(checkpointId);
        }
        if (c == null) {
            return false;
        }
        abortQuietly(c.pending, cause);
        ended(c, new CheckpointOutcome.Aborted(checkpointId, "task " + taskIndex + " declined: " + cause, cause));
        return true;
    }

    private void commit(InFlightCheckpoint c) {
        CheckpointOutcome outcome;
        try {
            List<TaskSnapshot> snapshots = c.snapshots();
            List<StreamHandle> streams = new ArrayList<>();
            for (TaskSnapshot s : snapshots) {
                streams.addAll(s.streams());
            }
            c.storage.referenceStreams(streams);
            CompletedCheckpoint done = c.pending.commit(CheckpointPayload.encode(snapshots));
            outcome = new CheckpointOutcome.Completed(
                    c.checkpointId, done, Duration.ofNanos(nanoClock.getAsLong() - c.triggeredAtNanos));
        } catch (TidemarkException | IllegalArgumentException | IllegalStateException e) {
            abortQuietly(c.pending, e);
            outcome = new CheckpointOutcome.Aborted(c.checkpointId, "commit failed: " + e.getMessage(), e);
        }
        ended(c, outcome);
    }

    /** Aborts; a failed cleanup is left to the storage's next start, the outcome is reported either way. */
    private static void abortQuietly(PendingCheckpoint pending, Throwable reason) {
        try {
            pending.abort(reason);
        } catch (TidemarkException cleanup) {
            if (reason != null && reason != cleanup) {
                reason.addSuppressed(cleanup);
            }
        }
    }

    /** @param c the checkpoint that ended, or {@code null} if it never started */
    private void ended(InFlightCheckpoint c, CheckpointOutcome outcome) {
        if (c != null && c.savepoint != null) {
            savepointEnded(c, outcome);
            return;
        }
        TidemarkException fatal = null;
        List<InFlightCheckpoint> toAbort = List.of();
        boolean endInput = false;
        synchronized (this) {
            lastEnd = nanoClock.getAsLong();
            if (outcome instanceof CheckpointOutcome.Completed) {
                consecutiveFailures = 0;
                lastCompletedId = Math.max(lastCompletedId, outcome.checkpointId());
                endInput = c != null && c.isFinal && !ended;
                ended |= endInput;
            } else if (!stopped && ++consecutiveFailures > config.tolerableConsecutiveFailures()) {
                stopped = true;
                toAbort = new ArrayList<>(inFlight.values());
                inFlight.clear();
                fatal = new TidemarkException("too many consecutive checkpoint failures: failures="
                        + consecutiveFailures + ", tolerable=" + config.tolerableConsecutiveFailures() + ", last="
                        + describe(outcome));
            }
        }
        notifyListeners(outcome);
        if (outcome instanceof CheckpointOutcome.Completed) {
            gateway.notifyCheckpointComplete(outcome.checkpointId());
        } else if (c != null) {
            gateway.notifyCheckpointAborted(outcome.checkpointId());
        }
        if (endInput) {
            gateway.endInput();
        }
        for (InFlightCheckpoint other : toAbort) {
            abortQuietly(other.pending, fatal);
            endedByShutdown(other, "coordinator stopped", fatal);
        }
        if (fatal != null) {
            fatalErrorHandler.accept(fatal);
        }
    }

    private void savepointEnded(InFlightCheckpoint c, CheckpointOutcome outcome) {
        synchronized (this) {
            lastEnd = nanoClock.getAsLong();
            if (outcome instanceof CheckpointOutcome.Completed && c.savepoint.terminate()) {
                ended = true;
            }
        }
        if (outcome instanceof CheckpointOutcome.Completed done) {
            c.savepoint.result().complete(done.checkpoint());
        } else {
            c.savepoint
                    .result()
                    .completeExceptionally(
                            new TidemarkException("savepoint " + c.checkpointId + " failed: " + describe(outcome)));
        }
    }

    private void endedByShutdown(InFlightCheckpoint c, String reason, Throwable cause) {
        if (c.savepoint != null) {
            c.savepoint.result().completeExceptionally(new IllegalStateException("savepoint aborted: " + reason));
        } else {
            notifyListeners(new CheckpointOutcome.Aborted(c.checkpointId, reason, cause));
        }
    }

    private void notifyListeners(CheckpointOutcome outcome) {
        for (CheckpointOutcomeListener l : listeners) {
            try {
                l.onOutcome(outcome);
            } catch (RuntimeException e) {
                fatalErrorHandler.accept(new TidemarkException(
                        "checkpoint outcome listener failed: checkpoint=" + outcome.checkpointId(), e));
            }
        }
    }

    private static String describe(CheckpointOutcome outcome) {
        if (outcome instanceof CheckpointOutcome.Aborted a) {
            return "checkpoint " + a.checkpointId() + " aborted (" + a.reason() + ")";
        }
        return "checkpoint " + outcome.checkpointId() + " expired";
    }

    /**
     * Stops triggering and aborts every checkpoint in flight (reported as {@link CheckpointOutcome.Aborted}); pending
     * savepoint requests fail.
     */
    @Override
    public void close() {
        List<InFlightCheckpoint> toAbort;
        List<SavepointRequest> requests;
        synchronized (this) {
            stopped = true;
            toAbort = new ArrayList<>(inFlight.values());
            inFlight.clear();
            requests = new ArrayList<>(savepointRequests);
            savepointRequests.clear();
        }
        for (SavepointRequest r : requests) {
            r.result().completeExceptionally(new IllegalStateException("the job stopped"));
        }
        for (InFlightCheckpoint c : toAbort) {
            abortQuietly(c.pending, null);
            endedByShutdown(c, "coordinator closed", null);
        }
    }
}

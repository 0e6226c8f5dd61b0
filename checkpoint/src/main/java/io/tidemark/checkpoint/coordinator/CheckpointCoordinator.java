package io.tidemark.checkpoint.coordinator;

import io.tidemark.ConfigurationException;
import io.tidemark.TidemarkException;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.checkpoint.storage.PendingCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Triggers checkpoints, collects the acknowledgements of {@code taskCount} tasks, commits through {@link
 * CheckpointStorage}, and reports one {@link CheckpointOutcome} per checkpoint to its listeners, a completion only
 * after the commit is durable.
 *
 * <p>Time is driven from outside: call {@link #poll()} periodically (e.g. every 100 ms from one scheduler thread); it
 * triggers a checkpoint when {@link CheckpointCoordinatorConfig} allows and expires those past their timeout. Ids
 * increase monotonically from the highest id the storage has seen. After more than {@code
 * tolerableConsecutiveFailures} failed checkpoints in a row the coordinator stops, aborts what is in flight and hands a
 * {@link TidemarkException} to the fatal-error handler once.
 *
 * <p>Thread-safe: {@link #acknowledge}/{@link #decline} come from task threads, {@link #poll()} from a scheduler.
 * Storage I/O, triggers and listeners run outside the lock. Control plane; allocates.
 */
public final class CheckpointCoordinator implements AutoCloseable {
    private final CheckpointCoordinatorConfig config;
    private final CheckpointStorage storage;
    private final int taskCount;
    private final CheckpointTrigger trigger;
    private final LongSupplier nanoClock;
    private final Consumer<TidemarkException> fatalErrorHandler;
    private final TriggerSchedule schedule;
    private final List<CheckpointOutcomeListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, InFlightCheckpoint> inFlight = new TreeMap<>();

    private long lastId;
    private long lastStart = Long.MIN_VALUE;
    private long lastEnd = Long.MIN_VALUE;
    private boolean starting;
    private int consecutiveFailures;
    private long lastCompletedId = -1;
    private boolean stopped;

    public CheckpointCoordinator(
            CheckpointCoordinatorConfig config,
            CheckpointStorage storage,
            int taskCount,
            CheckpointTrigger trigger,
            LongSupplier nanoClock,
            Consumer<TidemarkException> fatalErrorHandler) {
        if (taskCount < 1) {
            throw new ConfigurationException("checkpoint task count must be >= 1: taskCount=" + taskCount);
        }
        this.config = config;
        this.storage = storage;
        this.taskCount = taskCount;
        this.trigger = trigger;
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

    /** Expires checkpoints past their timeout, then triggers a new one if it is due. */
    public void poll() {
        long now = nanoClock.getAsLong();
        List<InFlightCheckpoint> expired = new ArrayList<>();
        long id = -1;
        synchronized (this) {
            long timeout = config.timeout().toNanos();
            inFlight.values().removeIf(c -> {
                if (now - c.triggeredAtNanos >= timeout) {
                    expired.add(c);
                    return true;
                }
                return false;
            });
            if (!stopped && !starting && schedule.isDue(now, inFlight.size(), lastStart, lastEnd)) {
                id = ++lastId;
                lastStart = now;
                starting = true;
            }
        }
        for (InFlightCheckpoint c : expired) {
            abortQuietly(c.pending, null);
            ended(new CheckpointOutcome.Expired(c.checkpointId, config.timeout()));
        }
        if (id >= 0) {
            start(id, now);
        }
    }

    private void start(long id, long now) {
        InFlightCheckpoint c;
        try {
            PendingCheckpoint pending = storage.begin(id);
            c = new InFlightCheckpoint(id, now, pending, taskCount);
        } catch (TidemarkException e) {
            synchronized (this) {
                starting = false;
            }
            ended(new CheckpointOutcome.Aborted(id, "could not begin checkpoint: " + e.getMessage(), e));
            return;
        }
        synchronized (this) {
            starting = false;
            if (stopped) {
                abortQuietly(c.pending, null);
                return;
            }
            inFlight.put(id, c);
        }
        trigger.trigger(id, c.storage);
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
        ended(new CheckpointOutcome.Aborted(checkpointId, "task " + taskIndex + " declined: " + cause, cause));
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
            outcome = new CheckpointOutcome.Completed(c.checkpointId, done);
        } catch (TidemarkException | IllegalArgumentException | IllegalStateException e) {
            abortQuietly(c.pending, e);
            outcome = new CheckpointOutcome.Aborted(c.checkpointId, "commit failed: " + e.getMessage(), e);
        }
        ended(outcome);
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

    private void ended(CheckpointOutcome outcome) {
        TidemarkException fatal = null;
        List<InFlightCheckpoint> toAbort = List.of();
        synchronized (this) {
            lastEnd = nanoClock.getAsLong();
            if (outcome instanceof CheckpointOutcome.Completed) {
                consecutiveFailures = 0;
                lastCompletedId = Math.max(lastCompletedId, outcome.checkpointId());
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
        for (InFlightCheckpoint c : toAbort) {
            abortQuietly(c.pending, fatal);
            notifyListeners(new CheckpointOutcome.Aborted(c.checkpointId, "coordinator stopped", fatal));
        }
        if (fatal != null) {
            fatalErrorHandler.accept(fatal);
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

    /** Stops triggering and aborts every checkpoint in flight (reported as {@link CheckpointOutcome.Aborted}). */
    @Override
    public void close() {
        List<InFlightCheckpoint> toAbort;
        synchronized (this) {
            stopped = true;
            toAbort = new ArrayList<>(inFlight.values());
            inFlight.clear();
        }
        for (InFlightCheckpoint c : toAbort) {
            abortQuietly(c.pending, null);
            notifyListeners(new CheckpointOutcome.Aborted(c.checkpointId, "coordinator closed", null));
        }
    }
}

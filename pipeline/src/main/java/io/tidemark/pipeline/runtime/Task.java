package io.tidemark.pipeline.runtime;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.checkpoint.coordinator.CheckpointCoordinator;
import io.tidemark.checkpoint.job.StateDescription;
import io.tidemark.checkpoint.job.SubtaskState;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.pipeline.operator.OperatorContext;
import io.tidemark.pipeline.operator.RecordOutput;
import io.tidemark.pipeline.operator.StreamOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * One operator instance, run by the worker thread of its {@link Chain} in bounded {@link #step steps}. Control messages
 * (checkpoint trigger, complete, abort, end of input) arrive in a mailbox and run on the worker between steps; records
 * and in-band control events arrive on input channels or, for a chained instance, as calls from its upstream operator.
 * Any throwable ends the chain and is reported to the attempt, which restarts the pipeline.
 */
abstract class Task {
    private record Mail(int type, long id) {}

    private static final int TRIGGER = 0;
    private static final int COMPLETE = 1;
    private static final int ABORTED = 2;
    private static final int END_INPUT = 3;

    protected final String name;
    /** This task's index in the coordinator's acknowledgements (its position in the attempt's task list). */
    private final int taskIndex;

    protected final int subtask;
    protected final int parallelism;
    protected final StreamOperator operator;
    protected final OperatorContext context;
    protected final RecordOutput output;
    protected final TaskMetrics metrics;
    protected final Cancellation cancellation;
    private final KeyedStateBackend<Object> keyedBackend;
    private final OperatorStateBackend operatorBackend;
    private final ConcurrentLinkedQueue<Mail> mailbox = new ConcurrentLinkedQueue<>();
    private final Executor snapshotExecutor;
    protected final TaskHost host;
    protected boolean endInputRequested;

    /** What a task needs from its pipeline attempt. */
    interface TaskHost {
        CheckpointCoordinator coordinator();

        void taskFailed(String task, Throwable cause);

        /** The synchronous snapshot pause of this task for {@code checkpointId}, for progress lines and metrics. */
        void syncPause(long checkpointId, long nanos);

        /** A source reached the end of its bounded input (after its final watermark). */
        void sourceFinished();
    }

    Task(
            String name,
            int taskIndex,
            int subtask,
            int parallelism,
            StreamOperator operator,
            OperatorContext context,
            Cancellation cancellation,
            Executor snapshotExecutor,
            TaskHost host) {
        this.name = name;
        this.taskIndex = taskIndex;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.operator = operator;
        this.context = context;
        this.output = context.output();
        this.metrics = context.metrics();
        this.keyedBackend = context.keyedBackend();
        this.operatorBackend = context.operatorBackend();
        this.cancellation = cancellation;
        this.snapshotExecutor = snapshotExecutor;
        this.host = host;
    }

    String taskName() {
        return name + "#" + subtask;
    }

    /**
     * Does a bounded amount of work (a batch of records or control events) and returns; never waits for input.
     *
     * @param room slots free in every output ring of the chain: a step emits at most that many records per input
     *     record it takes in, so that it does not wait for space (an operator that emits several records per input,
     *     such as a flat map or a watermark that fires many windows, may still have to)
     * @return true if anything was done
     */
    abstract boolean step(int room) throws Exception;

    /** True once the task sent end-of-input downstream and finished its operator. */
    abstract boolean finished();

    /** On the worker, after the chain ended (normally or not): closes the query inbox and the operator. */
    final void close() {
        if (context.queryTarget() != null) {
            context.queryTarget().closeOnOperatorThread();
        }
        try {
            operator.close();
        } catch (Throwable t) {
            if (!cancellation.isCancelled()) {
                host.taskFailed(taskName(), t);
            }
        }
    }

    /** Runs queued control messages; returns true if any ran. */
    protected final boolean processMailbox() throws Exception {
        boolean any = context.queryTarget() != null && context.queryTarget().drain();
        Mail mail;
        while ((mail = mailbox.poll()) != null) {
            any = true;
            switch (mail.type()) {
                case TRIGGER -> performCheckpoint(mail.id());
                case COMPLETE -> {
                    operator.notifyCheckpointComplete(mail.id());
                    if (keyedBackend != null) {
                        keyedBackend.notifyCheckpointComplete(mail.id());
                    }
                }
                case ABORTED -> {
                    operator.notifyCheckpointAborted(mail.id());
                    if (keyedBackend != null) {
                        keyedBackend.notifyCheckpointAborted(mail.id());
                    }
                }
                default -> endInputRequested = true;
            }
        }
        return any;
    }

    /**
     * Synchronous part on this thread (operator hook, backend snapshots), then the barrier goes downstream, then the
     * asynchronous part runs on the snapshot thread and acknowledges. A barrier of an aborted checkpoint is forwarded
     * without a snapshot.
     */
    protected final void performCheckpoint(long id) throws Exception {
        long start = System.nanoTime();
        CheckpointCoordinator coordinator = host.coordinator();
        SnapshotStorage storage = coordinator.storageFor(id);
        SnapshotKind kind = coordinator.kindFor(id);
        if (storage == null || kind == null) {
            output.broadcast(StreamEvent.BARRIER, id);
            return;
        }
        operator.snapshotState(id);
        Callable<KeyedStateHandle> keyed = keyedBackend == null ? null : keyedBackend.snapshot(id, kind, storage);
        List<String> keyedStates = keyedBackend == null ? List.of() : keyedBackend.stateNames();
        Callable<OperatorStateHandle> op = operatorBackend.snapshot(id, storage);
        long pause = System.nanoTime() - start;
        metrics.lastSyncPauseNanos = pause;
        host.syncPause(id, pause);
        output.broadcast(StreamEvent.BARRIER, id);
        snapshotExecutor.execute(() -> {
            try {
                KeyedStateHandle keyedHandle = keyed == null ? null : keyed.call();
                SubtaskState state = subtaskState(keyedHandle, op.call(), keyedStates);
                coordinator.acknowledge(id, state.toTaskSnapshot(taskIndex));
            } catch (Throwable t) {
                coordinator.decline(id, taskIndex, t);
            }
        });
    }

    /**
     * What this task acknowledges. The state listing records keyed state names and their handle's format only; type,
     * serializers and entry counts are read from the streams by the offline tools ({@code tidemark inspect}), so a
     * checkpoint never reads back what it just wrote.
     */
    private SubtaskState subtaskState(KeyedStateHandle keyed, OperatorStateHandle op, List<String> keyedStates) {
        List<StateDescription> states = new ArrayList<>();
        if (keyed != null) {
            for (String state : keyedStates) {
                states.add(new StateDescription(state, StateDescription.KEYED, keyed.format(), ""));
            }
        }
        return new SubtaskState(
                name,
                subtask,
                parallelism,
                context.maxParallelism(),
                keyed == null ? List.of() : List.of(keyed),
                List.of(op),
                states);
    }

    void triggerCheckpoint(long checkpointId) {
        mailbox.add(new Mail(TRIGGER, checkpointId));
    }

    void notifyCheckpointComplete(long checkpointId) {
        mailbox.add(new Mail(COMPLETE, checkpointId));
    }

    void notifyCheckpointAborted(long checkpointId) {
        mailbox.add(new Mail(ABORTED, checkpointId));
    }

    void endInput() {
        mailbox.add(new Mail(END_INPUT, 0));
    }
}

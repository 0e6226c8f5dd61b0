package io.tidemark.pipeline.runtime;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.pipeline.checkpoint.CheckpointCoordinator;
import io.tidemark.pipeline.checkpoint.TaskState;
import io.tidemark.pipeline.metrics.TaskMetrics;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * One operator instance on its own thread. Control messages (checkpoint trigger, complete, abort, end of input) arrive
 * in a mailbox and run on the task thread between batches; records and in-band control events arrive on the input
 * channels. Any throwable ends the task and is reported to the attempt, which restarts the pipeline.
 */
abstract class Task implements Runnable, CheckpointCoordinator.TaskGateway {
    private record Mail(int type, long id) {}

    private static final int TRIGGER = 0;
    private static final int COMPLETE = 1;
    private static final int ABORTED = 2;
    private static final int END_INPUT = 3;

    protected final String name;
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
    }

    Task(
            String name,
            int subtask,
            int parallelism,
            StreamOperator operator,
            OperatorContext context,
            Cancellation cancellation,
            Executor snapshotExecutor,
            TaskHost host) {
        this.name = name;
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

    @Override
    public final void run() {
        try {
            runTask();
        } catch (Cancellation.CancelledException e) {
            // the attempt is going down; not this task's failure
        } catch (Throwable t) {
            host.taskFailed(taskName(), t);
        } finally {
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
    }

    protected abstract void runTask() throws Exception;

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
        SnapshotStorage storage = host.coordinator().storageFor(id);
        if (storage == null) {
            output.broadcast(StreamEvent.BARRIER, id);
            return;
        }
        operator.snapshotState(id);
        Callable<KeyedStateHandle> keyed = keyedBackend == null
                ? null
                : keyedBackend.snapshot(id, host.coordinator().kindFor(id), storage);
        Callable<OperatorStateHandle> op = operatorBackend.snapshot(id, storage);
        long pause = System.nanoTime() - start;
        metrics.lastSyncPauseNanos = pause;
        output.broadcast(StreamEvent.BARRIER, id);
        CheckpointCoordinator coordinator = host.coordinator();
        String task = taskName();
        snapshotExecutor.execute(() -> {
            try {
                KeyedStateHandle keyedHandle = keyed == null ? null : keyed.call();
                coordinator.acknowledge(id, new TaskState(name, subtask, parallelism, keyedHandle, op.call()), pause);
            } catch (Throwable t) {
                coordinator.decline(id, task, t);
            }
        });
    }

    @Override
    public void triggerCheckpoint(long checkpointId) {
        mailbox.add(new Mail(TRIGGER, checkpointId));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        mailbox.add(new Mail(COMPLETE, checkpointId));
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        mailbox.add(new Mail(ABORTED, checkpointId));
    }

    @Override
    public void endInput() {
        mailbox.add(new Mail(END_INPUT, 0));
    }
}

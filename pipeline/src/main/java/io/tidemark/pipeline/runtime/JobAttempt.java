package io.tidemark.pipeline.runtime;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.pipeline.KeySelector;
import io.tidemark.pipeline.PipelineConfig;
import io.tidemark.pipeline.checkpoint.CheckpointCoordinator;
import io.tidemark.pipeline.checkpoint.CheckpointMetadata;
import io.tidemark.pipeline.checkpoint.CheckpointStorage;
import io.tidemark.pipeline.checkpoint.TaskState;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.pipeline.query.QueryTarget;
import io.tidemark.serialization.StateSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a pipeline: the instances, their channels and backends, restored from a checkpoint or fresh, and the
 * coordinator. Built and initialised on the caller's thread; {@link #run()} starts every instance thread and blocks
 * until the input ended or an instance failed; on failure every instance is cancelled before it returns.
 */
final class JobAttempt implements Task.TaskHost {
    private final List<PlanNode> nodes;
    private final PipelineConfig config;
    private final CheckpointStorage storage;
    private final SnapshotReader restoreReader;
    private final CheckpointMetadata restored;
    private final Path workDirectory;
    private final CheckpointCoordinator.Listener listener;
    private final Cancellation cancellation = new Cancellation();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Task> tasks = new ArrayList<>();
    private final List<Task> sourceTasks = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> backends = new ArrayList<>();
    private final List<TaskMetrics> taskMetrics = new ArrayList<>();
    private final List<QueryTarget> queryTargets = new ArrayList<>();
    private volatile List<QueryTarget> servingQueries = List.of();
    private final ExecutorService snapshotExecutor;
    private final int attemptNumber;
    private CheckpointCoordinator coordinator;
    private volatile boolean stopRequested;

    JobAttempt(
            List<PlanNode> nodes,
            PipelineConfig config,
            CheckpointStorage storage,
            CheckpointMetadata restored,
            SnapshotReader restoreReader,
            Path workDirectory,
            CheckpointCoordinator.Listener listener,
            int attemptNumber) {
        this.nodes = nodes;
        this.config = config;
        this.storage = storage;
        this.restored = restored;
        this.restoreReader = restoreReader;
        this.workDirectory = workDirectory;
        this.listener = listener;
        this.attemptNumber = attemptNumber;
        this.snapshotExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tidemark-snapshot");
            t.setDaemon(true);
            return t;
        });
    }

    List<TaskMetrics> taskMetrics() {
        return taskMetrics;
    }

    /** The query inboxes of the keyed instances while they run; empty before {@link #run()} and after shutdown. */
    List<QueryTarget> queryTargets() {
        return servingQueries;
    }

    @Override
    public CheckpointCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void taskFailed(String task, Throwable cause) {
        if (failure.compareAndSet(null, new TaskFailure(task, cause))) {
            cancellation.cancel();
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Creates, restores and opens every instance (caller's thread). */
    void build() throws Exception {
        if (restored != null && restored.maxParallelism() != config.maxParallelism()) {
            throw new ConfigurationException("max parallelism differs from the checkpoint's: maxParallelism="
                    + config.maxParallelism() + ", checkpoint=" + restored.maxParallelism()
                    + " (fixed for the life of the state)");
        }
        StateBackend backend = BackendRegistry.resolve(config.backend(), config.memoryBytes());
        List<Channel[][]> inputChannels = new ArrayList<>();
        for (PlanNode node : nodes) {
            inputChannels.add(node.isSource() ? null : createChannels(node));
        }
        for (PlanNode node : nodes) {
            for (int i = 0; i < node.parallelism(); i++) {
                createTask(node, i, backend, inputChannels);
            }
        }
        coordinator = new CheckpointCoordinator(
                storage,
                config.checkpointInterval().toMillis(),
                config.checkpointTimeout().toMillis(),
                config.maxParallelism(),
                new ArrayList<CheckpointCoordinator.TaskGateway>(sourceTasks),
                new ArrayList<CheckpointCoordinator.TaskGateway>(tasks),
                listener);
    }

    /** channels[upstream][downstream], null where the pair is not connected (forward). */
    private Channel[][] createChannels(PlanNode node) {
        PlanNode up = node.input();
        Channel[][] channels = new Channel[up.parallelism()][node.parallelism()];
        boolean forward =
                node.partitioning() == PlanNode.Partitioning.FORWARD && up.parallelism() == node.parallelism();
        for (int u = 0; u < up.parallelism(); u++) {
            for (int d = 0; d < node.parallelism(); d++) {
                if (!forward || u == d) {
                    channels[u][d] = new Channel(
                            up.name() + "#" + u + "->" + node.name() + "#" + d, config.ringSize(), cancellation);
                }
            }
        }
        return channels;
    }

    @SuppressWarnings("unchecked")
    private void createTask(PlanNode node, int index, StateBackend stateBackend, List<Channel[][]> inputChannels)
            throws Exception {
        List<EdgeOutput> edges = new ArrayList<>();
        for (PlanNode child : nodes) {
            if (child.input() == node) {
                Channel[] row = inputChannels.get(child.id())[index];
                edges.add(edgeFor(child, row));
            }
        }
        RecordOutput output = new RecordOutput(edges.toArray(new EdgeOutput[0]));
        KeyedStateBackend<Object> keyed = node.isKeyed() ? createKeyedBackend(node, index, stateBackend) : null;
        OperatorStateBackend operatorBackend = stateBackend.createOperatorStateBackend(node.name() + "#" + index);
        backends.add(operatorBackend);
        boolean restoredState = restoreOperatorState(node, index, operatorBackend);
        TaskMetrics metrics = new TaskMetrics(node.name() + "#" + index);
        taskMetrics.add(metrics);
        OperatorContext context = new OperatorContext(
                node.name(),
                index,
                node.parallelism(),
                config.maxParallelism(),
                keyed,
                operatorBackend,
                output,
                metrics,
                (KeySelector<Object, Object>) node.keySelector());
        StreamOperator operator = node.factory().create();
        operator.setup(context);
        operator.initializeState(restoredState);
        operator.open();
        if (context.queryTarget() != null) {
            queryTargets.add(context.queryTarget());
        }
        Task task;
        if (node.isSource()) {
            task = new SourceTask(
                    node.name(),
                    index,
                    node.parallelism(),
                    (SourceOperator<?>) operator,
                    context,
                    cancellation,
                    snapshotExecutor,
                    this);
            sourceTasks.add(task);
        } else {
            Channel[][] channels = inputChannels.get(node.id());
            List<Channel> inputs = new ArrayList<>();
            for (Channel[] row : channels) {
                if (row[index] != null) {
                    inputs.add(row[index]);
                }
            }
            task = new OperatorTask(
                    node.name(),
                    index,
                    node.parallelism(),
                    operator,
                    context,
                    inputs.toArray(new Channel[0]),
                    config.mode(),
                    cancellation,
                    snapshotExecutor,
                    this);
        }
        tasks.add(task);
    }

    @SuppressWarnings("unchecked")
    private EdgeOutput edgeFor(PlanNode child, Channel[] row) {
        if (child.partitioning() == PlanNode.Partitioning.KEY_GROUPS) {
            return EdgeOutput.keyGroups(
                    row, (KeySelector<Object, Object>) child.keySelector(), config.maxParallelism());
        }
        List<Channel> connected = new ArrayList<>();
        for (Channel channel : row) {
            if (channel != null) {
                connected.add(channel);
            }
        }
        return connected.size() == 1
                ? EdgeOutput.forward(connected.get(0))
                : EdgeOutput.roundRobin(connected.toArray(new Channel[0]));
    }

    @SuppressWarnings("unchecked")
    private KeyedStateBackend<Object> createKeyedBackend(PlanNode node, int index, StateBackend stateBackend) {
        KeyedBackendParameters<Object> parameters = new KeyedBackendParameters<>(
                node.name(),
                (StateSerializer<Object>) node.keySerializer(),
                config.maxParallelism(),
                KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(
                        config.maxParallelism(), node.parallelism(), index),
                TtlClock.SYSTEM,
                workDirectory.resolve(node.name() + "-" + index));
        KeyedStateBackend<Object> keyed = stateBackend.createKeyedStateBackend(parameters);
        backends.add(keyed);
        if (restored != null) {
            List<KeyedStateHandle> handles = new ArrayList<>();
            for (TaskState task : restored.tasksOf(node.name())) {
                if (task.keyed() != null) {
                    handles.add(task.keyed());
                }
            }
            if (!handles.isEmpty()) {
                keyed.restore(handles, restoreReader);
            }
        }
        return keyed;
    }

    private boolean restoreOperatorState(PlanNode node, int index, OperatorStateBackend backend) {
        if (restored == null) {
            return false;
        }
        List<OperatorStateHandle> handles = new ArrayList<>();
        for (TaskState task : restored.tasksOf(node.name())) {
            handles.add(task.operatorState());
        }
        if (handles.isEmpty()) {
            return false;
        }
        backend.restore(handles, restoreReader, index, node.parallelism());
        return true;
    }

    /** Starts every instance and blocks until the input ended (null) or the first failure (returned). */
    Throwable run() throws InterruptedException {
        for (Task task : tasks) {
            Runnable body = config.pinThreads() ? () -> ThreadPinning.runPinned(task) : task;
            Thread thread = new Thread(body, "tidemark-" + task.taskName() + "-a" + attemptNumber);
            thread.setDaemon(true);
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.start();
        }
        coordinator.start();
        servingQueries = List.copyOf(queryTargets);
        synchronized (this) {
            while (failure.get() == null && anyAlive() && !stopRequested) {
                wait(50);
            }
        }
        Throwable cause = failure.get();
        shutdown();
        return cause;
    }

    /** Makes {@link #run()} cancel every instance and return without a failure. */
    void requestStop() {
        stopRequested = true;
        synchronized (this) {
            notifyAll();
        }
    }

    private boolean anyAlive() {
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Cancels and joins every instance, stops the coordinator, closes backends; idempotent. */
    void shutdown() throws InterruptedException {
        servingQueries = List.of();
        for (QueryTarget target : queryTargets) {
            target.close();
        }
        cancellation.cancel();
        if (coordinator != null) {
            coordinator.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            thread.join(Math.max(1, left));
            if (thread.isAlive()) {
                taskFailed(thread.getName(), new IllegalStateException("task thread did not stop within 30 s"));
            }
        }
        snapshotExecutor.shutdownNow();
        snapshotExecutor.awaitTermination(10, TimeUnit.SECONDS);
        for (AutoCloseable backend : backends) {
            try {
                backend.close();
            } catch (Exception ignored) {
                // closing after a failure: the first failure is what gets reported
            }
        }
        backends.clear();
    }

    /** The failure of one instance, naming it. */
    static final class TaskFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskFailure(String task, Throwable cause) {
            super("task failed: task=" + task + ": " + cause, cause);
        }
    }
}

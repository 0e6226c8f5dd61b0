package io.tidemark.pipeline.runtime;

import io.tidemark.TidemarkException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.StateBackendFactory;
import io.tidemark.backend.TtlClock;
import io.tidemark.checkpoint.coordinator.CheckpointCoordinator;
import io.tidemark.checkpoint.fs.NioCheckpointFileSystem;
import io.tidemark.checkpoint.job.JobSnapshot;
import io.tidemark.checkpoint.restore.RestorePlan;
import io.tidemark.checkpoint.restore.RestorePlanner;
import io.tidemark.checkpoint.storage.CheckpointStorage;
import io.tidemark.checkpoint.storage.CompletedCheckpoint;
import io.tidemark.function.OutputTag;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.pipeline.operator.OperatorContext;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.operator.RecordOutput;
import io.tidemark.pipeline.operator.SourceOperator;
import io.tidemark.pipeline.operator.StreamOperator;
import io.tidemark.pipeline.operator.TwoInputOperator;
import io.tidemark.pipeline.queryable.QueryTarget;
import io.tidemark.serialization.StateSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a pipeline: the instances, chained where no exchange is needed and run by a few worker threads
 * ({@link WorkerPlan}), their channels and backends, restored from a checkpoint or savepoint (planned
 * and verified per operator by the checkpoint module's {@link RestorePlanner}) or fresh, and the checkpoint module's
 * {@link CheckpointCoordinator}, polled by a scheduler thread of this attempt. Built and initialised on the caller's
 * thread; {@link #run()} starts the worker threads and blocks until the input ended or an instance failed; on
 * failure every instance is cancelled before it returns. Too many consecutive failed checkpoints end the attempt with
 * a {@link #fatal fatal} failure that is not restarted.
 */
final class JobAttempt implements Task.TaskHost {
    private final List<PlanNode> nodes;
    private final PipelineContext config;
    private final CheckpointStorage storage;
    private final CompletedCheckpoint restored;
    private final JobSnapshot restoredJob;
    private final Path workDirectory;
    private final CheckpointReporter reporter;
    private final Cancellation cancellation = new Cancellation();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Task> tasks = new ArrayList<>();
    private final List<Task> sourceTasks = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> backends = new ArrayList<>();
    private final List<TaskMetrics> taskMetrics = new ArrayList<>();
    private final List<QueryTarget> queryTargets = new ArrayList<>();
    private volatile List<QueryTarget> servingQueries = List.of();
    private volatile List<Channel> channels = List.of();
    private final ExecutorService snapshotExecutor;
    private final ScheduledExecutorService checkpointScheduler;
    private final AtomicInteger finishedSources = new AtomicInteger();
    private final int attemptNumber;
    private CheckpointCoordinator coordinator;
    private List<Worker> workers = List.of();
    private volatile boolean stopRequested;
    private volatile boolean fatal;

    JobAttempt(
            List<PlanNode> nodes,
            PipelineContext config,
            CheckpointStorage storage,
            CompletedCheckpoint restored,
            Path workDirectory,
            JobRunner.Events events,
            int attemptNumber) {
        this.nodes = nodes;
        this.config = config;
        this.storage = storage;
        this.restored = restored;
        this.restoredJob = restored == null ? null : JobSnapshot.of(restored);
        this.workDirectory = workDirectory;
        this.reporter = new CheckpointReporter(events);
        this.attemptNumber = attemptNumber;
        this.snapshotExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tidemark-snapshot");
            t.setDaemon(true);
            return t;
        });
        this.checkpointScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tidemark-checkpoint-coordinator");
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

    /** The rings between instances, for reading their backlog from any thread; empty before {@link #build()}. */
    List<Channel> channels() {
        return channels;
    }

    private static List<Channel> connected(List<Channel[][][]> inputChannels) {
        List<Channel> result = new ArrayList<>();
        for (Channel[][][] node : inputChannels) {
            if (node != null) {
                for (Channel[][] input : node) {
                    for (Channel[] row : input) {
                        for (Channel channel : row) {
                            if (channel != null) {
                                result.add(channel);
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(result);
    }

    /** Every query target the instances declared when they opened (after {@link #build()}); closed ones too. */
    List<QueryTarget> declaredQueryTargets() {
        return List.copyOf(queryTargets);
    }

    @Override
    public CheckpointCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void taskFailed(String task, Throwable cause) {
        fail(new TaskFailure(task, cause));
    }

    @Override
    public void syncPause(long checkpointId, long nanos) {
        reporter.syncPause(checkpointId, nanos);
    }

    @Override
    public void sourceFinished() {
        if (finishedSources.incrementAndGet() == sourceTasks.size()) {
            coordinator.inputFinished();
        }
    }

    /** The coordinator gave up after too many consecutive failed checkpoints: the job fails, no restart. */
    private void checkpointingFailed(TidemarkException e) {
        fatal = true;
        fail(e);
    }

    private void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            cancellation.cancel();
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** True when the failure {@link #run()} returned must not be restarted (checkpointing gave up). */
    boolean fatal() {
        return fatal;
    }

    /** Creates, restores and opens every instance (caller's thread). */
    void build() throws Exception {
        StateBackend backend = StateBackendFactory.create(config.backend(), config.memoryBytes());
        List<Channel[][][]> inputChannels = new ArrayList<>();
        List<ChainedEdge[]> chainedEdges = new ArrayList<>();
        for (PlanNode node : nodes) {
            boolean chained = node.chainsOntoInput();
            inputChannels.add(node.isSource() || chained ? null : createChannels(node));
            chainedEdges.add(chained ? createChainedEdges(node) : null);
        }
        Task[][] instances = new Task[nodes.size()][];
        for (PlanNode node : nodes) {
            RestorePlan plan = planRestore(node);
            instances[node.id()] = new Task[node.parallelism()];
            for (int i = 0; i < node.parallelism(); i++) {
                instances[node.id()][i] = createTask(node, i, backend, inputChannels, chainedEdges, plan);
            }
        }
        workers = WorkerPlan.assign(nodes, instances, inputChannels, config, cancellation, this);
        channels = connected(inputChannels);
        coordinator = new CheckpointCoordinator(
                config.checkpointing().coordinator(),
                storage,
                tasks.size(),
                new TaskFanout(sourceTasks, tasks),
                System::nanoTime,
                this::checkpointingFailed);
        coordinator.addListener(reporter);
        if (restored != null) {
            coordinator.reserveIdsThrough(restored.checkpointId());
        }
    }

    /**
     * The verified restore plan of {@code node} at its parallelism now, or {@code null} for a fresh start or an operator
     * the snapshot does not hold (a new operator starts empty).
     *
     * @throws io.tidemark.ConfigurationException if maxParallelism differs from the snapshot's
     * @throws io.tidemark.CorruptCheckpointException if a file the plan needs fails verification
     */
    private RestorePlan planRestore(PlanNode node) {
        if (restoredJob == null || restoredJob.operator(node.name()) == null) {
            return null;
        }
        return RestorePlanner.plan(
                NioCheckpointFileSystem.INSTANCE, restored, node.name(), node.parallelism(), config.maxParallelism());
    }

    private static ChainedEdge[] createChainedEdges(PlanNode node) {
        ChainedEdge[] edges = new ChainedEdge[node.parallelism()];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = new ChainedEdge();
        }
        return edges;
    }

    /**
     * channels[input][upstream][downstream], one matrix per input of {@code node}; null where the pair is not
     * connected (forward).
     */
    private Channel[][][] createChannels(PlanNode node) {
        List<PlanNode.Input> inputs = node.inputs();
        Channel[][][] channels = new Channel[inputs.size()][][];
        for (int k = 0; k < inputs.size(); k++) {
            PlanNode up = inputs.get(k).node();
            boolean main = inputs.get(k).sideOutput() == null;
            Channel[][] matrix = new Channel[up.parallelism()][node.parallelism()];
            channels[k] = matrix;
            boolean forward = inputs.get(k).partitioning() == PlanNode.Partitioning.FORWARD
                    && up.parallelism() == node.parallelism();
            String suffix = inputs.size() > 1 ? "/" + k : "";
            for (int u = 0; u < up.parallelism(); u++) {
                for (int d = 0; d < node.parallelism(); d++) {
                    if (!forward || u == d) {
                        matrix[u][d] = new Channel(
                                up.name() + "#" + u + "->" + node.name() + "#" + d + suffix,
                                config.ringSize(),
                                cancellation,
                                config.idleMode(),
                                main ? up.recordSlots() : null);
                    }
                }
            }
        }
        return channels;
    }

    @SuppressWarnings("unchecked")
    private Task createTask(
            PlanNode node,
            int index,
            StateBackend stateBackend,
            List<Channel[][][]> inputChannels,
            List<ChainedEdge[]> chainedEdges,
            RestorePlan plan)
            throws Exception {
        List<RecordOutput.Edge> edges = new ArrayList<>();
        Map<String, List<RecordOutput.Edge>> sideEdges = new LinkedHashMap<>();
        for (PlanNode child : nodes) {
            List<PlanNode.Input> childInputs = child.inputs();
            for (int k = 0; k < childInputs.size(); k++) {
                if (childInputs.get(k).node() != node) {
                    continue;
                }
                ChainedEdge[] chained = chainedEdges.get(child.id());
                RecordOutput.Edge edge = chained != null
                        ? chained[index]
                        : edgeFor(childInputs.get(k), inputChannels.get(child.id())[k][index]);
                OutputTag<?> side = childInputs.get(k).sideOutput();
                if (side == null) {
                    edges.add(edge);
                } else {
                    sideEdges
                            .computeIfAbsent(side.id(), id -> new ArrayList<>())
                            .add(edge);
                }
            }
        }
        Map<String, RecordOutput.Edge[]> sides = new LinkedHashMap<>();
        sideEdges.forEach((id, list) -> sides.put(id, list.toArray(new RecordOutput.Edge[0])));
        RecordOutput output = new RecordOutput(edges.toArray(new RecordOutput.Edge[0]), sides);
        KeyedStateBackend<Object> keyed = node.isKeyed() ? createKeyedBackend(node, index, stateBackend) : null;
        OperatorStateBackend operatorBackend = stateBackend.createOperatorStateBackend(node.name() + "#" + index);
        backends.add(operatorBackend);
        if (plan != null) {
            plan.task(index).restore(keyed, operatorBackend, plan.reader());
        }
        boolean restoredState = plan != null;
        TaskMetrics metrics = new TaskMetrics(node.name() + "#" + index, keyed);
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
                    tasks.size(),
                    index,
                    node.parallelism(),
                    (SourceOperator<?>) operator,
                    context,
                    cancellation,
                    snapshotExecutor,
                    this);
            sourceTasks.add(task);
        } else if (node.chainsOntoInput()) {
            ChainedTask chained = new ChainedTask(
                    node.name(),
                    tasks.size(),
                    index,
                    node.parallelism(),
                    operator,
                    context,
                    cancellation,
                    snapshotExecutor,
                    this);
            chainedEdges.get(node.id())[index].bind(chained);
            task = chained;
        } else {
            List<Channel> inputs = new ArrayList<>();
            List<Boolean> second = new ArrayList<>();
            Channel[][][] matrices = inputChannels.get(node.id());
            for (int k = 0; k < matrices.length; k++) {
                for (Channel[] row : matrices[k]) {
                    if (row[index] != null) {
                        inputs.add(row[index]);
                        second.add(k == 1 && operator instanceof TwoInputOperator);
                    }
                }
            }
            boolean[] secondInput = new boolean[second.size()];
            for (int c = 0; c < secondInput.length; c++) {
                secondInput[c] = second.get(c);
            }
            task = new OperatorTask(
                    node.name(),
                    tasks.size(),
                    index,
                    node.parallelism(),
                    operator,
                    context,
                    inputs.toArray(new Channel[0]),
                    secondInput,
                    config.checkpointing().mode(),
                    cancellation,
                    snapshotExecutor,
                    this);
        }
        tasks.add(task);
        return task;
    }

    /** The producer side of {@code input} for one producer instance, over its row of channels. */
    @SuppressWarnings("unchecked")
    private EdgeOutput edgeFor(PlanNode.Input input, Channel[] row) {
        if (input.partitioning() == PlanNode.Partitioning.KEY_GROUPS) {
            return EdgeOutput.keyGroups(
                    row, (KeySelector<Object, Object>) input.keySelector(), config.maxParallelism());
        }
        List<Channel> connected = new ArrayList<>();
        for (Channel channel : row) {
            if (channel != null) {
                connected.add(channel);
            }
        }
        if (input.partitioning() == PlanNode.Partitioning.BROADCAST) {
            return EdgeOutput.broadcast(connected.toArray(new Channel[0]));
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
        return keyed;
    }

    /** Starts every instance and blocks until the input ended (null) or the first failure (returned). */
    Throwable run() throws InterruptedException {
        for (int w = 0; w < workers.size(); w++) {
            Worker worker = workers.get(w);
            Runnable body = config.pinThreads() ? () -> ThreadPinning.runPinned(worker) : worker;
            Thread thread = new Thread(body, "tidemark-worker-" + w + "-a" + attemptNumber);
            thread.setDaemon(true);
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.start();
        }
        long tick = Math.max(
                5, Math.min(50, config.checkpointing().coordinator().interval().toMillis() / 4));
        checkpointScheduler.scheduleWithFixedDelay(this::pollCoordinator, tick, tick, TimeUnit.MILLISECONDS);
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

    private void pollCoordinator() {
        try {
            coordinator.poll();
        } catch (RuntimeException e) {
            fail(e);
        }
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
        checkpointScheduler.shutdownNow();
        checkpointScheduler.awaitTermination(10, TimeUnit.SECONDS);
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

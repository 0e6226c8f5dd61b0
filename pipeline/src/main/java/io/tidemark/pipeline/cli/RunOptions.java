package io.tidemark.pipeline.cli;

import io.tidemark.ConfigurationException;
import io.tidemark.TidemarkException;
import io.tidemark.backend.StateBackendFactory;
import io.tidemark.checkpoint.coordinator.CheckpointCoordinatorConfig;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.IdleMode;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.runtime.JobRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options {@code run} shares with {@code demo}. */
public final class RunOptions {
    @Option(
            names = "--parallelism",
            description = "Instances of each keyed operator and sink (default: the worker count).")
    Integer parallelism;

    @Option(
            names = "--max-parallelism",
            description = "Key groups; fixed for the life of the state (default: ${DEFAULT-VALUE}).")
    int maxParallelism = 128;

    @Option(
            names = "--backend",
            description = "offheap|heap|chronicle (default: offheap when in the build, else heap).")
    String backend;

    @Option(names = "--state-dir", description = "Live working files and the lock (default: ./tidemark-state).")
    Path stateDir;

    @Option(
            names = "--memory",
            description =
                    "Resident memory budget per keyed instance of the offheap backend, e.g. 512m, 2g (default: ${DEFAULT-VALUE}).")
    String memory = "256m";

    @Option(names = "--checkpoint-dir", description = "Completed checkpoints (default: <state-dir>/checkpoints).")
    Path checkpointDir;

    @Option(
            names = "--checkpoint-interval",
            converter = Durations.class,
            description = "Time between checkpoints, e.g. 1s, 500ms (default: 1s).")
    Duration checkpointInterval = Duration.ofSeconds(1);

    @Option(
            names = "--checkpoint-timeout",
            converter = Durations.class,
            description = "A checkpoint not complete in this time is aborted (default: 30s).")
    Duration checkpointTimeout = Duration.ofSeconds(30);

    @Option(
            names = "--min-pause",
            converter = Durations.class,
            description = "Minimum time from the end of one checkpoint to the start of the next (default: 0ms).")
    Duration minPause = Duration.ZERO;

    @Option(
            names = "--max-concurrent",
            description = "Checkpoints in flight at once, 1-64 (default: ${DEFAULT-VALUE}).")
    int maxConcurrent = 1;

    @Option(
            names = "--tolerable-failures",
            description = "Consecutive failed (aborted or timed out) checkpoints tolerated; one more fails the job"
                    + " (default: ${DEFAULT-VALUE}).")
    int tolerableFailures = 3;

    @Option(names = "--retained", description = "Completed checkpoints kept (default: ${DEFAULT-VALUE}).")
    int retained = 3;

    @Option(
            names = "--inline-threshold",
            description = "Operator state of at most this size per task is written inside the checkpoint's _metadata"
                    + " instead of as a file of its own, e.g. 16k; 0 disables, at most 1m (default: ${DEFAULT-VALUE}).")
    String inlineThreshold = "16k";

    @Option(
            names = "--restore-fallback",
            description = "If the latest checkpoint fails verification at start, restore the newest older one that"
                    + " verifies (reported on stderr). Default: fail the start.")
    boolean restoreFallback;

    @Option(
            names = "--allow-non-restored-state",
            description = "Restore even if the snapshot holds state of operators this job no longer has (that state"
                    + " is dropped). Default: refuse, naming the operators.")
    boolean allowNonRestoredState;

    @Option(names = "--mode", description = "exactly-once|at-least-once (default: ${DEFAULT-VALUE}).")
    String mode = "exactly-once";

    @Option(
            names = "--restart-attempts",
            description = "Automatic restarts before the run fails (default: ${DEFAULT-VALUE}).")
    int restartAttempts = 3;

    @Option(
            names = "--restart-delay",
            converter = Durations.class,
            description = "Delay before the first restart; doubles up to 10s with --restart-backoff (default: 200ms).")
    Duration restartDelay = Duration.ofMillis(200);

    @Option(names = "--restart-backoff", description = "Exponential backoff between restarts instead of a fixed delay.")
    boolean restartBackoff;

    @Option(
            names = "--workers",
            description = "Worker threads that run the operators (default: the number of available processors).")
    Integer workers;

    @Option(
            names = "--idle",
            description = "What an idle worker does: busy-spin, yield or backoff (default: ${DEFAULT-VALUE}); see"
                    + " docs/pipelines.md.")
    String idle = IdleMode.BACKOFF.label();

    @Option(names = "--pin-threads", description = "Pin each worker thread to its own core (OpenHFT affinity).")
    boolean pinThreads;

    /** Sets the state directory used when {@code --state-dir} is not given. */
    public void defaultStateDir(Path directory) {
        if (stateDir == null) {
            stateDir = directory;
        }
    }

    /**
     * The pipeline configuration these options describe.
     *
     * @throws CommandLine.ParameterException naming the option if one is invalid
     */
    public PipelineContext config(CommandLine.Model.CommandSpec spec) {
        Path state = stateDir != null ? stateDir : Path.of("tidemark-state");
        CheckpointingMode checkpointingMode =
                switch (mode) {
                    case "exactly-once" -> CheckpointingMode.EXACTLY_ONCE;
                    case "at-least-once" -> CheckpointingMode.AT_LEAST_ONCE;
                    default ->
                        throw new CommandLine.ParameterException(
                                spec.commandLine(),
                                "invalid --mode: value=" + mode + ", allowed=exactly-once, at-least-once");
                };
        Set<String> backends = StateBackendFactory.names();
        String backendName = backend != null ? backend : backends.contains("offheap") ? "offheap" : "heap";
        if (!backends.contains(backendName)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "invalid --backend: value=" + backendName + ", allowed=" + String.join(", ", backends));
        }
        int workerCount = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (workerCount < 1 || workerCount > PipelineContext.MAX_WORKERS) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "invalid --workers: value=" + workerCount + ", allowed=[1, " + PipelineContext.MAX_WORKERS + "]");
        }
        IdleMode idleMode;
        try {
            idleMode = IdleMode.parse(idle);
        } catch (ConfigurationException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "invalid --idle: value=" + idle + ", allowed=busy-spin, yield, backoff");
        }
        int instances = parallelism != null ? parallelism : Math.min(workerCount, maxParallelism);
        if (instances < 1 || maxParallelism < instances) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "invalid --parallelism: value=" + instances + ", allowed=[1, --max-parallelism=" + maxParallelism
                            + "]");
        }
        RestartStrategy restart = restartBackoff
                ? RestartStrategy.exponentialBackoff(restartAttempts, restartDelay, Duration.ofSeconds(10))
                : RestartStrategy.fixedDelay(restartAttempts, restartDelay);
        return new PipelineContext()
                .stateDirectory(state)
                .checkpointDirectory(checkpointDir != null ? checkpointDir : state.resolve("checkpoints"))
                .defaultParallelism(instances)
                .maxParallelism(maxParallelism)
                .backend(backendName)
                .checkpointing(checkpointing(spec, checkpointingMode))
                .restartStrategy(restart)
                .workers(workerCount)
                .idleMode(idleMode)
                .pinThreads(pinThreads)
                .memoryBytes(parseSize(spec, "--memory", memory, "256m, 2g"));
    }

    private CheckpointSettings checkpointing(CommandLine.Model.CommandSpec spec, CheckpointingMode checkpointingMode) {
        try {
            return new CheckpointSettings(
                    new CheckpointCoordinatorConfig(
                            checkpointInterval, minPause, checkpointTimeout, maxConcurrent, tolerableFailures),
                    retained,
                    restoreFallback ? RestorePolicy.FALLBACK_TO_OLDER : RestorePolicy.LATEST_ONLY,
                    checkpointingMode,
                    allowNonRestoredState,
                    (int) Math.min(
                            parseSize(spec, "--inline-threshold", inlineThreshold, "16k, 0"), Integer.MAX_VALUE));
        } catch (TidemarkException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "invalid checkpoint option: " + e.getMessage());
        }
    }

    private static long parseSize(CommandLine.Model.CommandSpec spec, String option, String value, String examples) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
            unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(v), unit);
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "invalid " + option + ": value=" + value + ", expected e.g. " + examples);
        }
    }

    static JobRunner.RestoreMode restoreMode(String restore) {
        if (restore == null) {
            return new JobRunner.RestoreMode.None();
        }
        if (restore.equals("latest")) {
            return new JobRunner.RestoreMode.Latest();
        }
        return new JobRunner.RestoreMode.FromPath(Path.of(restore));
    }
}

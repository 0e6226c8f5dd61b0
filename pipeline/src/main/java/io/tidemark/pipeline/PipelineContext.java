package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.StateBackendFactory;
import io.tidemark.keygroup.KeyGroupAssignment;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Job-wide configuration of a {@link Pipeline}, validated once by {@link #conclude()} (the pipeline concludes it when
 * it is created). Mutable until then; setters return {@code this} for chaining; after {@code conclude()} a setter
 * throws. It composes the checkpoint configuration ({@link CheckpointSettings}, which holds the checkpoint module's
 * {@code CheckpointCoordinatorConfig}) instead of copying its fields. Not thread safe: configure on one thread, then
 * hand it to the pipeline.
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>setting</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>stateDirectory</td><td>none (required)</td><td>a path: live working files and the lock</td></tr>
 *   <tr><td>checkpointDirectory</td><td>stateDirectory/checkpoints</td><td>a path: completed checkpoints</td></tr>
 *   <tr><td>maxParallelism</td><td>128</td><td>[1, 32768]: key groups, fixed for the life of the state</td></tr>
 *   <tr><td>defaultParallelism</td><td>1</td><td>[1, maxParallelism]: of operators that set none</td></tr>
 *   <tr><td>ringSize</td><td>4096</td><td>a power of two &gt;= 2: slots of each edge's ring</td></tr>
 *   <tr><td>backend</td><td>heap</td><td>a name registered with {@link StateBackendFactory}</td></tr>
 *   <tr><td>memoryBytes</td><td>256 MiB</td><td>&gt;= 1 MiB: resident budget of each file-backed keyed backend</td></tr>
 *   <tr><td>checkpointing</td><td>{@link CheckpointSettings#defaults()}</td><td>interval &gt;= 10 ms; timeout
 *       &gt;= 100 ms unless it is at least the interval</td></tr>
 *   <tr><td>restartStrategy</td><td>3 attempts, 200 ms apart</td><td>non-null</td></tr>
 *   <tr><td>workers</td><td>the number of available processors</td><td>[1, 1024]: threads that run the
 *       operator chains; instance {@code i} of every chain runs on worker {@code i % workers}</td></tr>
 *   <tr><td>idleMode</td><td>{@link IdleMode#BACKOFF}</td><td>what an idle worker or a held-back producer does</td></tr>
 *   <tr><td>pinThreads</td><td>false</td><td>pin each worker thread to a core of its own (OpenHFT affinity)</td></tr>
 * </table>
 */
public final class PipelineContext {
    public static final int DEFAULT_MAX_PARALLELISM = 128;
    public static final int DEFAULT_RING_SIZE = 4096;
    public static final String DEFAULT_BACKEND = "heap";
    public static final long DEFAULT_MEMORY_BYTES = 256L << 20;
    public static final long MIN_MEMORY_BYTES = 1L << 20;
    public static final Duration MIN_CHECKPOINT_INTERVAL = Duration.ofMillis(10);
    public static final Duration MIN_CHECKPOINT_TIMEOUT = Duration.ofMillis(100);
    public static final int MAX_WORKERS = 1024;

    private Path stateDirectory;
    private Path checkpointDirectory;
    private int maxParallelism = DEFAULT_MAX_PARALLELISM;
    private int defaultParallelism = 1;
    private int ringSize = DEFAULT_RING_SIZE;
    private String backend = DEFAULT_BACKEND;
    private long memoryBytes = DEFAULT_MEMORY_BYTES;
    private CheckpointSettings checkpointing = CheckpointSettings.defaults();
    private RestartStrategy restartStrategy = RestartStrategy.fixedDelay(3, Duration.ofMillis(200));
    private int workers = Runtime.getRuntime().availableProcessors();
    private IdleMode idleMode = IdleMode.BACKOFF;
    private boolean pinThreads;
    private boolean concluded;

    /**
     * Checks every setting, fills in the defaults that depend on others, and freezes the context. Calling it again
     * returns at once.
     *
     * @return this
     * @throws ConfigurationException naming the first setting out of range, its value and what is allowed
     */
    public PipelineContext conclude() {
        if (concluded) {
            return this;
        }
        if (stateDirectory == null) {
            throw new ConfigurationException("stateDirectory is required: stateDirectory=null, allowed=a path");
        }
        if (checkpointDirectory == null) {
            checkpointDirectory = stateDirectory.resolve("checkpoints");
        }
        KeyGroupAssignment.checkParallelism(maxParallelism, defaultParallelism);
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new ConfigurationException(
                    "ringSize out of range: ringSize=" + ringSize + ", allowed=a power of two >= 2");
        }
        if (backend == null || StateBackendFactory.find(backend) == null) {
            throw new ConfigurationException("backend unknown: backend=" + backend + ", allowed="
                    + String.join(", ", StateBackendFactory.names()));
        }
        if (memoryBytes < MIN_MEMORY_BYTES) {
            throw new ConfigurationException("memoryBytes out of range: memoryBytes=" + memoryBytes
                    + ", allowed=[1 MiB, " + Long.MAX_VALUE + "]");
        }
        if (checkpointing == null) {
            throw new ConfigurationException("checkpointing is required: checkpointing=null, allowed=non-null");
        }
        Duration interval = checkpointing.coordinator().interval();
        if (interval.compareTo(MIN_CHECKPOINT_INTERVAL) < 0) {
            throw new ConfigurationException(
                    "checkpoint interval out of range: interval=" + interval + ", allowed=>= 10ms");
        }
        Duration timeout = checkpointing.coordinator().timeout();
        if (timeout.compareTo(interval) < 0 && timeout.compareTo(MIN_CHECKPOINT_TIMEOUT) < 0) {
            throw new ConfigurationException("checkpoint timeout out of range: timeout=" + timeout
                    + ", allowed=>= 100ms, or >= interval=" + interval);
        }
        if (restartStrategy == null) {
            throw new ConfigurationException("restartStrategy is required: restartStrategy=null, allowed=non-null");
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new ConfigurationException(
                    "workers out of range: workers=" + workers + ", allowed=[1, " + MAX_WORKERS + "]");
        }
        if (idleMode == null) {
            throw new ConfigurationException("idleMode is required: idleMode=null, allowed=busy-spin, yield, backoff");
        }
        concluded = true;
        return this;
    }

    /** True once {@link #conclude()} succeeded. */
    public boolean isConcluded() {
        return concluded;
    }

    private void requireMutable() {
        if (concluded) {
            throw new ConfigurationException("context already concluded: settings are frozen");
        }
    }

    /** Where live working files and the lock live; required. */
    public PipelineContext stateDirectory(Path value) {
        requireMutable();
        stateDirectory = value;
        return this;
    }

    public Path stateDirectory() {
        return stateDirectory;
    }

    /** Where completed checkpoints live; by default {@code stateDirectory/checkpoints}. */
    public PipelineContext checkpointDirectory(Path value) {
        requireMutable();
        checkpointDirectory = value;
        return this;
    }

    /** The checkpoint directory; {@code null} before {@link #conclude()} unless it was set. */
    public Path checkpointDirectory() {
        return checkpointDirectory;
    }

    /** Number of key groups; fixed for the life of the state. */
    public PipelineContext maxParallelism(int value) {
        requireMutable();
        maxParallelism = value;
        return this;
    }

    public int maxParallelism() {
        return maxParallelism;
    }

    /** Parallelism of operators that do not set their own. */
    public PipelineContext defaultParallelism(int value) {
        requireMutable();
        defaultParallelism = value;
        return this;
    }

    public int defaultParallelism() {
        return defaultParallelism;
    }

    /** Slots of each edge's ring buffer. */
    public PipelineContext ringSize(int value) {
        requireMutable();
        ringSize = value;
        return this;
    }

    public int ringSize() {
        return ringSize;
    }

    /** State backend name, found through {@link StateBackendFactory}: {@code heap}, {@code offheap}, {@code chronicle}. */
    public PipelineContext backend(String value) {
        requireMutable();
        backend = value;
        return this;
    }

    public String backend() {
        return backend;
    }

    /** Resident memory budget of each file-backed keyed backend instance (off-heap: mapped bytes). */
    public PipelineContext memoryBytes(long value) {
        requireMutable();
        memoryBytes = value;
        return this;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    /** Checkpoint policy, retention, restore policy and barrier mode. */
    public PipelineContext checkpointing(CheckpointSettings value) {
        requireMutable();
        checkpointing = value;
        return this;
    }

    public CheckpointSettings checkpointing() {
        return checkpointing;
    }

    /** What to do after a task failure. */
    public PipelineContext restartStrategy(RestartStrategy value) {
        requireMutable();
        restartStrategy = value;
        return this;
    }

    public RestartStrategy restartStrategy() {
        return restartStrategy;
    }

    /**
     * Worker threads that run the operator chains (default: the number of available processors). A chain is an
     * operator instance fed by a ring (a source, or an operator after {@code keyBy} or a change of parallelism) with the
     * operators forwarded to it at the same parallelism; instance {@code i} of every chain runs on worker
     * {@code i % workers}, so a keyed operator with {@code workers} instances gives each worker its key groups.
     */
    public PipelineContext workers(int value) {
        requireMutable();
        workers = value;
        return this;
    }

    public int workers() {
        return workers;
    }

    /** What an idle worker, or a producer held back by a full ring, does (default {@link IdleMode#BACKOFF}). */
    public PipelineContext idleMode(IdleMode value) {
        requireMutable();
        idleMode = value;
        return this;
    }

    public IdleMode idleMode() {
        return idleMode;
    }

    /** Pin each worker thread to a core of its own (OpenHFT affinity); off by default. */
    public PipelineContext pinThreads(boolean value) {
        requireMutable();
        pinThreads = value;
        return this;
    }

    public boolean pinThreads() {
        return pinThreads;
    }

    @Override
    public String toString() {
        return "PipelineContext{stateDirectory=" + stateDirectory + ", checkpointDirectory=" + checkpointDirectory
                + ", maxParallelism=" + maxParallelism + ", defaultParallelism=" + defaultParallelism + ", ringSize="
                + ringSize + ", backend=" + backend + ", memoryBytes=" + memoryBytes + ", checkpointing="
                + checkpointing + ", restartStrategy=" + restartStrategy + ", workers=" + workers + ", idleMode="
                + idleMode
                + ", pinThreads=" + pinThreads + "}";
    }
}

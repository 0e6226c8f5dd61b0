package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.keygroup.KeyGroupAssignment;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Job-wide settings, validated once by {@link #validate()}: errors name the setting, its value and the allowed range.
 *
 * @param maxParallelism number of key groups; fixed for the life of the state
 * @param defaultParallelism parallelism of operators that do not set their own
 * @param ringSize slots of each edge's ring buffer (a power of two)
 * @param backend state backend name ({@code heap}, {@code offheap}, {@code chronicle})
 * @param stateDirectory where live working files and the lock live
 * @param checkpointDirectory where completed checkpoints live
 * @param checkpointInterval time between checkpoint triggers
 * @param checkpointTimeout a checkpoint not acknowledged by every task within this time is aborted
 * @param mode barrier handling at multi-input operators
 * @param restartStrategy what to do after a task failure
 * @param retainedCheckpoints completed checkpoints kept by retention
 * @param pinThreads pin each operator thread to a core of its own (OpenHFT affinity); off by default
 * @param memoryBytes resident memory budget of each file-backed keyed backend instance (off-heap: mapped bytes)
 */
public record PipelineConfig(
        int maxParallelism,
        int defaultParallelism,
        int ringSize,
        String backend,
        Path stateDirectory,
        Path checkpointDirectory,
        Duration checkpointInterval,
        Duration checkpointTimeout,
        CheckpointingMode mode,
        RestartStrategy restartStrategy,
        int retainedCheckpoints,
        boolean pinThreads,
        long memoryBytes) {

    public static PipelineConfig defaults(Path stateDirectory) {
        return new PipelineConfig(
                128,
                1,
                4096,
                "heap",
                stateDirectory,
                stateDirectory.resolve("checkpoints"),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                CheckpointingMode.EXACTLY_ONCE,
                RestartStrategy.fixedDelay(3, Duration.ofMillis(200)),
                3,
                false,
                256L << 20);
    }

    public PipelineConfig validate() {
        KeyGroupAssignment.checkParallelism(maxParallelism, defaultParallelism);
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new ConfigurationException("ring size invalid: ringSize=" + ringSize + ", allowed=power of two >= 2");
        }
        if (stateDirectory == null || checkpointDirectory == null) {
            throw new ConfigurationException("state and checkpoint directories are required: stateDirectory="
                    + stateDirectory + ", checkpointDirectory=" + checkpointDirectory);
        }
        if (checkpointInterval.toMillis() < 10) {
            throw new ConfigurationException(
                    "checkpoint interval too short: interval=" + checkpointInterval + ", min=10ms");
        }
        if (checkpointTimeout.compareTo(checkpointInterval) < 0 && checkpointTimeout.toMillis() < 100) {
            throw new ConfigurationException(
                    "checkpoint timeout too short: timeout=" + checkpointTimeout + ", min=100ms");
        }
        if (memoryBytes < 1 << 20) {
            throw new ConfigurationException("memory budget too small: memory=" + memoryBytes + ", min=1 MiB");
        }
        if (retainedCheckpoints < 1) {
            throw new ConfigurationException(
                    "retained checkpoints invalid: retainedCheckpoints=" + retainedCheckpoints + ", min=1");
        }
        return this;
    }

    public PipelineConfig withMaxParallelism(int value) {
        return new PipelineConfig(
                value,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                checkpointTimeout,
                mode,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withParallelism(int value) {
        return new PipelineConfig(
                maxParallelism,
                value,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                checkpointTimeout,
                mode,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withRingSize(int value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                value,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                checkpointTimeout,
                mode,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withBackend(String value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                value,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                checkpointTimeout,
                mode,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withCheckpointDirectory(Path value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                value,
                checkpointInterval,
                checkpointTimeout,
                mode,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withCheckpointInterval(Duration value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                value,
                checkpointTimeout,
                mode,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withCheckpointTimeout(Duration value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                value,
                mode,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withMode(CheckpointingMode value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                checkpointTimeout,
                value,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withRestartStrategy(RestartStrategy value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                checkpointTimeout,
                mode,
                value,
                retainedCheckpoints,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withPinThreads(boolean value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                checkpointTimeout,
                mode,
                restartStrategy,
                retainedCheckpoints,
                value,
                memoryBytes);
    }

    public PipelineConfig withMemoryBytes(long value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointInterval,
                checkpointTimeout,
                mode,
                restartStrategy,
                retainedCheckpoints,
                pinThreads,
                value);
    }
}

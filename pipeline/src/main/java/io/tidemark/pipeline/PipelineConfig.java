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
 * @param checkpointing checkpoint policy, retention, restore policy and barrier mode ({@link CheckpointSettings})
 * @param restartStrategy what to do after a task failure
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
        CheckpointSettings checkpointing,
        RestartStrategy restartStrategy,
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
                CheckpointSettings.defaults(),
                RestartStrategy.fixedDelay(3, Duration.ofMillis(200)),
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
        Duration interval = checkpointing.coordinator().interval();
        if (interval.toMillis() < 10) {
            throw new ConfigurationException("checkpoint interval too short: interval=" + interval + ", min=10ms");
        }
        Duration timeout = checkpointing.coordinator().timeout();
        if (timeout.compareTo(interval) < 0 && timeout.toMillis() < 100) {
            throw new ConfigurationException("checkpoint timeout too short: timeout=" + timeout + ", min=100ms");
        }
        if (memoryBytes < 1 << 20) {
            throw new ConfigurationException("memory budget too small: memory=" + memoryBytes + ", min=1 MiB");
        }
        return this;
    }

    public PipelineConfig withCheckpointInterval(Duration value) {
        return withCheckpointing(checkpointing.withInterval(value));
    }

    public PipelineConfig withCheckpointTimeout(Duration value) {
        return withCheckpointing(checkpointing.withTimeout(value));
    }

    public PipelineConfig withMode(CheckpointingMode value) {
        return withCheckpointing(checkpointing.withMode(value));
    }

    public PipelineConfig withMaxParallelism(int value) {
        return new PipelineConfig(
                value,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                checkpointing,
                restartStrategy,
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
                checkpointing,
                restartStrategy,
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
                checkpointing,
                restartStrategy,
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
                checkpointing,
                restartStrategy,
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
                checkpointing,
                restartStrategy,
                pinThreads,
                memoryBytes);
    }

    public PipelineConfig withCheckpointing(CheckpointSettings value) {
        return new PipelineConfig(
                maxParallelism,
                defaultParallelism,
                ringSize,
                backend,
                stateDirectory,
                checkpointDirectory,
                value,
                restartStrategy,
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
                checkpointing,
                value,
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
                checkpointing,
                restartStrategy,
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
                checkpointing,
                restartStrategy,
                pinThreads,
                value);
    }
}

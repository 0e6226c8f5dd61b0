package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.checkpoint.coordinator.CheckpointCoordinatorConfig;
import io.tidemark.checkpoint.storage.CheckpointStorageConfig;
import io.tidemark.checkpoint.storage.RestorePolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How a pipeline checkpoints and restores: the checkpoint module's coordinator policy (interval, min pause, timeout,
 * max concurrent, tolerable consecutive failures) composed as is, plus what only the pipeline reads. Immutable;
 * validated at construction with errors naming the setting.
 *
 * @param coordinator when checkpoints start and when the job gives up on failing ones
 * @param retained completed checkpoints kept by retention, in [1, {@value CheckpointStorageConfig#MAX_RETAINED_CHECKPOINTS}]
 * @param restorePolicy what a start does when the latest checkpoint fails verification: fail (default) or, when asked,
 *     fall back to the newest older one that verifies (reported, never silent)
 * @param mode barrier handling at operators with several inputs; at-least-once needs {@code maxConcurrent} 1
 * @param allowNonRestoredState restore even when the snapshot holds state of an operator the job no longer has (that
 *     state is dropped); off by default: such a restore is refused naming the operators
 * @param inlineThreshold the checkpoint storage's {@link CheckpointStorageConfig#inlineThreshold()}: operator state of
 *     at most this many bytes per task rides in {@code _metadata}, 0 disables
 */
public record CheckpointSettings(
        CheckpointCoordinatorConfig coordinator,
        int retained,
        RestorePolicy restorePolicy,
        CheckpointingMode mode,
        boolean allowNonRestoredState,
        int inlineThreshold) {
    public CheckpointSettings {
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(restorePolicy, "restorePolicy");
        Objects.requireNonNull(mode, "mode");
        if (mode == CheckpointingMode.AT_LEAST_ONCE && coordinator.maxConcurrent() > 1) {
            // an unaligned operator that sees barrier n+1 on every input before n gives n up, which then expires
            throw new ConfigurationException("at-least-once checkpoints run one at a time: mode=at-least-once,"
                    + " maxConcurrent=" + coordinator.maxConcurrent() + ", allowed=1");
        }
        if (retained < 1 || retained > CheckpointStorageConfig.MAX_RETAINED_CHECKPOINTS) {
            throw new ConfigurationException("retained checkpoints out of range: retained=" + retained
                    + ", allowed=[1, " + CheckpointStorageConfig.MAX_RETAINED_CHECKPOINTS + "]");
        }
        CheckpointStorageConfig.checkInlineThreshold(inlineThreshold);
    }

    /**
     * Every second, 30 s timeout, no min pause, one at a time, 3 tolerable failures, 3 retained, exactly once, 16 KiB
     * inline threshold.
     */
    public static CheckpointSettings defaults() {
        return new CheckpointSettings(
                new CheckpointCoordinatorConfig(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(30), 1, 3),
                CheckpointStorageConfig.DEFAULT_RETAINED_CHECKPOINTS,
                RestorePolicy.LATEST_ONLY,
                CheckpointingMode.EXACTLY_ONCE,
                false,
                CheckpointStorageConfig.DEFAULT_INLINE_THRESHOLD);
    }

    public CheckpointSettings withCoordinator(CheckpointCoordinatorConfig value) {
        return new CheckpointSettings(value, retained, restorePolicy, mode, allowNonRestoredState, inlineThreshold);
    }

    public CheckpointSettings withInterval(Duration value) {
        CheckpointCoordinatorConfig c = coordinator;
        return withCoordinator(new CheckpointCoordinatorConfig(
                value, c.minPause(), c.timeout(), c.maxConcurrent(), c.tolerableConsecutiveFailures()));
    }

    public CheckpointSettings withTimeout(Duration value) {
        CheckpointCoordinatorConfig c = coordinator;
        return withCoordinator(new CheckpointCoordinatorConfig(
                c.interval(), c.minPause(), value, c.maxConcurrent(), c.tolerableConsecutiveFailures()));
    }

    public CheckpointSettings withTolerableFailures(int value) {
        CheckpointCoordinatorConfig c = coordinator;
        return withCoordinator(
                new CheckpointCoordinatorConfig(c.interval(), c.minPause(), c.timeout(), c.maxConcurrent(), value));
    }

    public CheckpointSettings withRetained(int value) {
        return new CheckpointSettings(coordinator, value, restorePolicy, mode, allowNonRestoredState, inlineThreshold);
    }

    public CheckpointSettings withRestorePolicy(RestorePolicy value) {
        return new CheckpointSettings(coordinator, retained, value, mode, allowNonRestoredState, inlineThreshold);
    }

    public CheckpointSettings withMode(CheckpointingMode value) {
        return new CheckpointSettings(
                coordinator, retained, restorePolicy, value, allowNonRestoredState, inlineThreshold);
    }

    public CheckpointSettings withInlineThreshold(int value) {
        return new CheckpointSettings(coordinator, retained, restorePolicy, mode, allowNonRestoredState, value);
    }

    public CheckpointSettings withAllowNonRestoredState(boolean value) {
        return new CheckpointSettings(coordinator, retained, restorePolicy, mode, value, inlineThreshold);
    }
}

package io.tidemark.pipeline.runtime;

import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.function.MapFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the failure-and-restore pipeline tests share: a context with small rings, checkpoints every 20 ms and one
 * restart, and a pass-through map that fails once.
 */
final class FailingRuns {
    private FailingRuns() {}

    /** Parallelism 2, 16 key groups, 64-slot rings, 16 MiB per keyed instance, one restart without delay. */
    static PipelineContext context(Path stateDirectory, String backend, CheckpointingMode mode) {
        return new PipelineContext()
                .stateDirectory(stateDirectory)
                .defaultParallelism(2)
                .maxParallelism(16)
                .ringSize(64)
                .backend(backend)
                .memoryBytes(16L << 20)
                .checkpointing(CheckpointSettings.defaults().withMode(mode).withInterval(Duration.ofMillis(20)))
                .restartStrategy(RestartStrategy.fixedDelay(1, Duration.ZERO));
    }

    /** Passes records on; the call that brings {@code countdown} to 0 throws. */
    static MapFunction<Long, Long> failOnce(AtomicLong countdown) {
        return v -> {
            if (countdown.decrementAndGet() == 0) {
                throw new IllegalStateException("injected");
            }
            return v;
        };
    }
}

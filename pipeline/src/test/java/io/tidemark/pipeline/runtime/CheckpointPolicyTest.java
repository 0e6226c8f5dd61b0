package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.CorruptCheckpointException;
import io.tidemark.TidemarkException;
import io.tidemark.checkpoint.coordinator.CheckpointCoordinatorConfig;
import io.tidemark.checkpoint.storage.RestorePolicy;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.serialization.LongSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint module's policy applied by the pipeline: tolerable consecutive failures fail the job with a clear
 * message and no restart (before, the pipeline never failed on any number of failed checkpoints), and restores of a
 * changed job (RELIABILITY.md R4: before, the state of a renamed or removed operator was dropped silently).
 */
class CheckpointPolicyTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tooManyConsecutiveFailedCheckpointsFailTheJobWithoutRestart() {
        PipelineContext config = new PipelineContext().stateDirectory(dir).maxParallelism(8);
        config.checkpointing(config.checkpointing()
                .withCoordinator(new CheckpointCoordinatorConfig(
                        Duration.ofMillis(10), Duration.ZERO, Duration.ofMillis(100), 1, 1)));
        Pipeline pipeline = new Pipeline(config);
        pipeline.source("numbers", () -> new BackpressureCheckpointTest.NumberSource(10_000), 1)
                .map(
                        "stuck",
                        (Long v) -> {
                            LockSupport.parkNanos(5_000_000); // every barrier waits behind slow records: expires
                            return v;
                        },
                        1)
                .sink("collect", BackpressureCheckpointTest.CollectingSink::new, 1);
        List<String> aborted = new CopyOnWriteArrayList<>();
        AtomicInteger restarts = new AtomicInteger();
        JobRunner runner = new JobRunner(pipeline, new JobRunner.Events() {
            @Override
            public void aborted(long id, String reason) {
                aborted.add(reason);
            }

            @Override
            public void restarting(int attempt, Throwable cause, long delayMillis) {
                restarts.incrementAndGet();
            }
        });
        assertThatThrownBy(() -> runner.run(new JobRunner.RestoreMode.None()))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("too many consecutive checkpoint failures: failures=2, tolerable=1")
                .hasMessageContaining("expired");
        assertThat(restarts).as("a checkpointing failure is not restarted").hasValue(0);
        assertThat(aborted).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void restoringIntoAJobWithoutAStatefulOperatorIsRefusedUnlessAllowed() throws Exception {
        Path first = dir.resolve("first");
        new JobRunner(job(first, "sum", false), new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());
        Path checkpoints = first.resolve("checkpoints");
        assertThat(Files.list(checkpoints)
                        .anyMatch(p -> p.getFileName().toString().startsWith("chk-")))
                .isTrue();

        Path second = dir.resolve("second");
        JobRunner renamed = new JobRunner(job(second, "sum-v2", false), new JobRunner.Events() {});
        assertThatThrownBy(() -> renamed.run(new JobRunner.RestoreMode.FromPath(checkpoints)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("operators=[sum]")
                .hasMessageContaining("--allow-non-restored-state");

        JobRunner allowed = new JobRunner(job(dir.resolve("third"), "sum-v2", true), new JobRunner.Events() {});
        assertThat(allowed.run(new JobRunner.RestoreMode.FromPath(checkpoints)).restoredCheckpoint())
                .isPositive();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCorruptLatestCheckpointFailsTheStartUnlessFallbackIsAskedForAndThenItIsReported() throws Exception {
        Path state = dir.resolve("state");
        JobRunner.Result first = new JobRunner(job(state, "sum", false), new JobRunner.Events() {})
                .run(new JobRunner.RestoreMode.None());
        JobRunner.Result second = new JobRunner(job(state, "sum", false), new JobRunner.Events() {})
                .run(new JobRunner.RestoreMode.Latest());
        long older = second.restoredCheckpoint();
        assertThat(older).isPositive();
        long newest;
        try (var entries = Files.list(state.resolve("checkpoints"))) {
            newest = entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("chk-"))
                    .mapToLong(n -> Long.parseLong(n.substring(4)))
                    .max()
                    .orElseThrow();
        }
        assertThat(newest).isGreaterThan(older);
        Path metadata = state.resolve("checkpoints").resolve("chk-" + newest).resolve("_metadata");
        byte[] bytes = Files.readAllBytes(metadata);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(metadata, bytes);

        assertThatThrownBy(() -> new JobRunner(job(state, "sum", false), new JobRunner.Events() {})
                        .run(new JobRunner.RestoreMode.Latest()))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("chk-" + newest);

        List<String> skipped = new CopyOnWriteArrayList<>();
        Pipeline fallback = new Pipeline(pipelineContext(state, false)
                .checkpointing(CheckpointSettings.defaults().withRestorePolicy(RestorePolicy.FALLBACK_TO_OLDER)));
        fallback.source("numbers", () -> new BackpressureCheckpointTest.NumberSource(1_000), 1)
                .keyBy((Long v) -> v % 10, LongSerializer.INSTANCE)
                .process("sum", BackpressureCheckpointTest.SumPerKey::new, 1)
                .sink("collect", BackpressureCheckpointTest.CollectingSink::new, 1);
        JobRunner.Result fellBack = new JobRunner(fallback, new JobRunner.Events() {
                    @Override
                    public void skippedCorruptCheckpoint(CorruptCheckpointException reason) {
                        skipped.add(reason.getMessage());
                    }
                })
                .run(new JobRunner.RestoreMode.Latest());
        assertThat(fellBack.restoredCheckpoint()).isEqualTo(older);
        assertThat(skipped).as("never silently").hasSize(1);
        assertThat(first.restoredCheckpoint()).isZero();
    }

    @Test
    void atLeastOnceRefusesConcurrentCheckpointsNamingBothSettings() {
        CheckpointSettings concurrent = CheckpointSettings.defaults()
                .withCoordinator(new CheckpointCoordinatorConfig(
                        Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(30), 2, 3));
        assertThatThrownBy(() -> concurrent.withMode(CheckpointingMode.AT_LEAST_ONCE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mode=at-least-once")
                .hasMessageContaining("maxConcurrent=2");
    }

    private static Pipeline job(Path stateDir, String keyedOperator, boolean allowNonRestoredState) {
        Pipeline pipeline = new Pipeline(pipelineContext(stateDir, allowNonRestoredState));
        pipeline.source("numbers", () -> new BackpressureCheckpointTest.NumberSource(1_000), 1)
                .keyBy((Long v) -> v % 10, LongSerializer.INSTANCE)
                .process(keyedOperator, BackpressureCheckpointTest.SumPerKey::new, 1)
                .sink("collect", BackpressureCheckpointTest.CollectingSink::new, 1);
        return pipeline;
    }

    private static PipelineContext pipelineContext(Path stateDir, boolean allowNonRestoredState) {
        return new PipelineContext()
                .stateDirectory(stateDir)
                .maxParallelism(8)
                .checkpointing(CheckpointSettings.defaults().withAllowNonRestoredState(allowNonRestoredState));
    }
}

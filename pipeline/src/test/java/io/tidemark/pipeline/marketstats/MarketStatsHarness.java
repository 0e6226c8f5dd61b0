package io.tidemark.pipeline.marketstats;

import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.runtime.JobRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Runs market-stats in process for tests. */
public final class MarketStatsHarness {
    private MarketStatsHarness() {}

    public static PipelineContext config(Path dir, int parallelism) {
        return new PipelineContext()
                .stateDirectory(dir.resolve("state"))
                .defaultParallelism(parallelism)
                .maxParallelism(32)
                .checkpointing(CheckpointSettings.defaults().withInterval(Duration.ofMillis(50)))
                .ringSize(256)
                .restartStrategy(RestartStrategy.fixedDelay(2, Duration.ofMillis(10)));
    }

    public static JobRunner.Result run(
            PipelineContext config, MarketStatsInput input, Path output, ErrorPolicy policy, AtomicLong failCountdown)
            throws Exception {
        JobRunner runner = new JobRunner(
                MarketStatsJob.build(
                        config,
                        new MarketStatsJob.Options(
                                input, output, config.defaultParallelism(), 0, policy, failCountdown)),
                new JobRunner.Events() {
                    @Override
                    public void completed(long id, String location, long bytes, long durationMillis, long pause) {}

                    @Override
                    public void aborted(long id, String reason) {}
                });
        return runner.run(new JobRunner.RestoreMode.None());
    }
}

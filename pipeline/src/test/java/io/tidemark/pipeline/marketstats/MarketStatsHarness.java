package io.tidemark.pipeline.marketstats;

import io.tidemark.pipeline.PipelineConfig;
import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.runtime.JobRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Runs market-stats in process for tests. */
public final class MarketStatsHarness {
    private MarketStatsHarness() {}

    public static PipelineConfig config(Path dir, int parallelism) {
        return PipelineConfig.defaults(dir.resolve("state"))
                .withParallelism(parallelism)
                .withMaxParallelism(32)
                .withCheckpointInterval(Duration.ofMillis(50))
                .withRingSize(256)
                .withRestartStrategy(RestartStrategy.fixedDelay(2, Duration.ofMillis(10)));
    }

    public static JobRunner.Result run(
            PipelineConfig config, MarketStatsInput input, Path output, ErrorPolicy policy, AtomicLong failCountdown)
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

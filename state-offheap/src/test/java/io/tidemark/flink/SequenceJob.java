package io.tidemark.flink;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The MiniCluster tests' job: the numbers {@code 0..shape.records()-1} from one deterministic, checkpointed source
 * subtask (event time = the record's sequence number), keyed into {@link SequenceStateFunction} at
 * {@code parallelism}, its lines into a {@link CommittedLinesSink}. Operator ids are fixed, so a savepoint of one run
 * restores into another at any parallelism up to {@link #MAX_PARALLELISM}.
 *
 * @param shape the input
 * @param parallelism of the keyed operator and the sink
 * @param sourceLimit how fast the source may go: {@code perCheckpoint}, so a failure finds checkpoints behind it, or
 *     a {@link SourceGate}
 * @param failOnce whether the keyed function fails once after a completed checkpoint
 */
record SequenceJob(SequenceShape shape, int parallelism, RateLimiterStrategy<?> sourceLimit, boolean failOnce) {
    static final int MAX_PARALLELISM = 128;

    /**
     * Checkpoints to files in {@code checkpoints} every 100 ms, incremental where the backend can, watermarks every
     * 50 ms, one restart without delay; no state backend ({@link BackendUnderTest} selects one).
     */
    static Configuration configuration(Path checkpoints) {
        Configuration config = new Configuration();
        config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        config.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        config.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        config.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(50));
        return config;
    }

    /** Adds the job to {@code env}; its operators report to {@link RunReports#of}{@code (runId)}. */
    void addTo(StreamExecutionEnvironment env, String runId, Path output) {
        SequenceShape input = shape; // the lambdas below capture the shape, not this job
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(n -> n, input.records(), sourceLimit, Types.LONG);
        WatermarkStrategy<Long> eventTime =
                WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((n, ts) -> input.seq(n));
        env.fromSource(source, eventTime, "numbers")
                .uid("numbers")
                .setParallelism(1)
                .keyBy(input::key, Types.INT)
                .transform(
                        "sequence-state",
                        Types.STRING,
                        new BackendRecordingOperator<>(new SequenceStateFunction(input, runId, failOnce), runId))
                .uid("sequence-state")
                .setParallelism(parallelism)
                .sinkTo(new CommittedLinesSink(output))
                .uid("committed-lines")
                .setParallelism(parallelism);
    }
}

package io.tidemark.pipeline.marketstats;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.cli.NamedJob;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.connectors.TwoPhaseFileSink;
import io.tidemark.serialization.StringSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in {@code market-stats} job: trades (CSV or generated) → keyBy(symbol) → 1-minute windows and running
 * totals → exactly-once {@code part-*.csv} files.
 */
public final class MarketStatsJob implements NamedJob {
    /** The name {@code tidemark run} knows it by. */
    public static final String NAME = "market-stats";

    /**
     * @param input the trades
     * @param output directory of the committed parts, {@code late.csv} and {@code dead-letter.csv}
     * @param parallelism instances of the window operator and of the sink
     * @param allowedLateness ms subtracted from the max timestamp to form the watermark
     * @param policy what to do with malformed lines
     * @param failCountdown failure injection: the window call that brings it to 0 throws; {@code null} for none
     */
    public record Options(
            MarketStatsInput input,
            Path output,
            int parallelism,
            long allowedLateness,
            ErrorPolicy policy,
            AtomicLong failCountdown) {}

    /** For {@link java.util.ServiceLoader}: the launcher finds the job by {@link #NAME}. */
    public MarketStatsJob() {}

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Builds the job from the launcher's {@code run} options.
     *
     * @throws IllegalArgumentException if {@code --input} is neither a file name nor a valid {@code gen:} spec
     * @throws ConfigurationException if the input file does not exist
     */
    @Override
    public Pipeline build(PipelineContext config, NamedJob.Arguments arguments) {
        MarketStatsInput in;
        try {
            in = MarketStatsInput.parse(arguments.input());
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!in.generated() && !Files.isRegularFile(in.file())) {
            throw new ConfigurationException("input file not found: file=" + in.file());
        }
        return build(
                config,
                new Options(
                        in,
                        arguments.output(),
                        config.defaultParallelism(),
                        arguments.allowedLateness().toMillis(),
                        arguments.onMalformed(),
                        arguments.failAfter() > 0 ? new AtomicLong(arguments.failAfter()) : null));
    }

    public static Pipeline build(PipelineContext config, Options options) {
        Pipeline pipeline = new Pipeline(config);
        pipeline.source(
                        "trades",
                        () -> new MarketStatsSource(
                                options.input(), options.output(), options.allowedLateness(), options.policy()),
                        1)
                .keyBy(Trade::symbol, StringSerializer.INSTANCE)
                .process("window-stats", () -> new MarketStatsFunction(options.failCountdown()), options.parallelism())
                .sink(
                        "output",
                        () -> new TwoPhaseFileSink<WindowStats>(options.output(), WindowStats::toCsv),
                        options.parallelism());
        return pipeline;
    }
}

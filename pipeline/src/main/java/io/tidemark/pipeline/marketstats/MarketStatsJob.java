package io.tidemark.pipeline.marketstats;

import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineConfig;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.connectors.TwoPhaseFileSink;
import io.tidemark.serialization.StringSerializer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in {@code market-stats} job: trades (CSV or generated) → keyBy(symbol) → 1-minute windows and running
 * totals → exactly-once {@code part-*.csv} files.
 */
public final class MarketStatsJob {
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

    private MarketStatsJob() {}

    public static Pipeline build(PipelineConfig config, Options options) {
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

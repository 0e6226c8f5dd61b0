package io.tidemark.pipeline.marketstats;

import io.tidemark.TidemarkException;
import io.tidemark.backend.OperatorStateStore;
import io.tidemark.function.CheckpointListener;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.connectors.LineReader;
import io.tidemark.pipeline.connectors.MalformedRecordException;
import io.tidemark.pipeline.connectors.TwoPhaseAppendFile;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.serialization.Serializers;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import java.nio.file.Path;
import java.util.List;

/**
 * The trades source of market-stats, at parallelism 1: reads the CSV file (resumable at a byte offset) or the
 * generator (resumable at a sequence number), assigns event time, and applies the watermark rule — watermark = max
 * timestamp seen − allowed lateness; a trade with a timestamp below the current watermark goes to {@code late.csv}
 * (exactly once) instead of downstream. Malformed lines follow the {@link ErrorPolicy}. Position, max timestamp and the
 * pending appends are operator state, so a restore replays exactly from the barrier.
 */
public final class MarketStatsSource implements SourceFunction<Trade>, CheckpointListener {
    /** The source's checkpointed position. Public for the record serializer. */
    public record Position(long offset, long maxTimestamp, long lastWatermark) {}

    private static final int WATERMARK_EVERY = 256;
    private static final String HEADER = "ts_millis";

    private final MarketStatsInput input;
    private final Path outputDirectory;
    private final long allowedLateness;
    private final ErrorPolicy policy;
    private TradeGenerator generator;
    private LineReader reader;
    private ListState<Position> positionState;
    private TwoPhaseAppendFile late;
    private TwoPhaseAppendFile deadLetter;
    private long offset;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastWatermark = Long.MIN_VALUE;
    private int sinceWatermark;
    private long skipped;
    private long paceStartNanos;
    private long paceStartOffset;

    public MarketStatsSource(MarketStatsInput input, Path outputDirectory, long allowedLateness, ErrorPolicy policy) {
        this.input = input;
        this.outputDirectory = outputDirectory;
        this.allowedLateness = allowedLateness;
        this.policy = policy;
    }

    @Override
    public void initializeState(OperatorStateStore store, boolean restored) throws Exception {
        positionState = store.getListState(new ListStateDescriptor<>("position", Serializers.of(Position.class)));
        late = new TwoPhaseAppendFile(outputDirectory.resolve("late.csv"), "late-file");
        late.initializeState(store, restored);
        deadLetter = new TwoPhaseAppendFile(outputDirectory.resolve("dead-letter.csv"), "dead-letter-file");
        deadLetter.initializeState(store, restored);
        if (restored) {
            for (Position p : positionState.get()) {
                offset = p.offset();
                maxTimestamp = p.maxTimestamp();
                lastWatermark = p.lastWatermark();
            }
        }
        if (input.generated()) {
            generator = new TradeGenerator(input.seed(), input.symbols());
        } else {
            reader = new LineReader(input.file(), offset);
        }
    }

    @Override
    public boolean emitNext(SourceContext<Trade> ctx) throws Exception {
        Trade trade;
        String raw = null;
        if (generator != null) {
            if (offset >= input.count()) {
                return false;
            }
            if (input.rate() > 0 && !paced()) {
                return true;
            }
            trade = generator.trade(offset++);
        } else {
            long lineOffset = reader.offset();
            raw = reader.next();
            offset = reader.offset();
            if (raw == null) {
                return false;
            }
            if (lineOffset == 0 && raw.startsWith(HEADER)) {
                return true;
            }
            try {
                trade = TradeCsv.parse(raw);
            } catch (MalformedRecordException e) {
                malformed(lineOffset, raw, e.getMessage());
                return true;
            }
        }
        long watermark = watermark();
        if (trade.timestamp() < watermark) {
            late.append((raw != null ? raw : TradeCsv.format(trade)) + ",late: " + (watermark - trade.timestamp())
                    + " ms behind watermark " + watermark);
            return true;
        }
        if (trade.timestamp() > maxTimestamp) {
            maxTimestamp = trade.timestamp();
        }
        ctx.collect(trade, trade.timestamp());
        if (++sinceWatermark >= WATERMARK_EVERY) {
            sinceWatermark = 0;
            long now = watermark();
            if (now > lastWatermark) {
                lastWatermark = now;
                ctx.emitWatermark(now);
            }
        }
        return true;
    }

    /** True when the offered rate allows the next trade now; the pace restarts with every attempt. */
    private boolean paced() {
        long now = System.nanoTime();
        if (paceStartNanos == 0) {
            paceStartNanos = now;
            paceStartOffset = offset;
        }
        long due = paceStartNanos + (offset - paceStartOffset) * 1_000_000_000L / input.rate();
        // not due yet: return without waiting, the worker runs other operators or idles meanwhile
        return now >= due;
    }

    private long watermark() {
        return maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - allowedLateness;
    }

    private void malformed(long lineOffset, String raw, String reason) throws Exception {
        switch (policy) {
            case SKIP -> skipped++;
            case DEAD_LETTER -> deadLetter.append(lineOffset + "," + reason.replace(',', ';') + "," + raw);
            default ->
                throw new TidemarkException("malformed record: file=" + input.file() + ", offset=" + lineOffset
                        + ", reason=" + reason + ", record=" + raw);
        }
    }

    @Override
    public void snapshotState(long checkpointId) throws Exception {
        positionState.update(List.of(new Position(offset, maxTimestamp, lastWatermark)));
        late.snapshotState(checkpointId);
        deadLetter.snapshotState(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        late.notifyCheckpointComplete(checkpointId);
        deadLetter.notifyCheckpointComplete(checkpointId);
    }

    /** Malformed records dropped under {@link ErrorPolicy#SKIP} in this attempt. */
    public long skipped() {
        return skipped;
    }

    @Override
    public void close() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (late != null) {
            late.close();
            deadLetter.close();
        }
    }
}

package io.tidemark.pipeline.operator;

import io.tidemark.ConfigurationException;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.function.WindowAggregate;
import io.tidemark.pipeline.function.WindowProcessing;

/**
 * Event-time windows of {@code size} ms starting every {@code slide} ms (tumbling when {@code slide == size}, sliding
 * when smaller) as a keyed function: a record with timestamp {@code ts} belongs to every window {@code [start, start +
 * size)} with {@code start} a multiple of {@code slide} and {@code start <= ts < start + size}. Each window's contents
 * (a {@link WindowAggregate}'s accumulator, or what a {@link WindowProcessing} keeps: the elements or an aggregate's
 * accumulator, see {@link WindowContents}) are keyed state in namespace {@code start}; an event-time timer at the
 * window's last millisecond emits the result. With an allowed lateness {@code L}, the window keeps its state until the
 * watermark passes {@code last + L}: a record that arrives in that time is added and the window emits its updated
 * result at once (one more output row for the window); after it, a cleanup timer clears the state (a process window
 * function's {@code clear} is called first) and the window takes no more records. A record none of whose windows takes
 * it is late: counted ({@link #droppedLate()}) and either dropped or, with a late-data tag, sent to that side output.
 */
public final class EventTimeWindowOperator<K, IN, OUT> extends KeyedProcessFunction<K, IN, OUT> {
    private final long size;
    private final long slide;
    private final WindowContents<K, IN, OUT> contents;
    private final OutputTag<IN> lateData;
    private final long allowedLateness;
    private WindowFiring<K> firing;
    private long droppedLate;

    /**
     * Windows aggregated incrementally by {@code aggregate}.
     *
     * @param sizeMillis window length
     * @param slideMillis distance between window starts, at most {@code sizeMillis}
     * @param lateData the side output late records go to, or {@code null} to drop them
     * @param allowedLatenessMillis how long after its end (by the watermark) a window still takes records, >= 0
     * @throws ConfigurationException if the size is not positive, the slide is not in {@code [1, size]} or the lateness
     *     is negative
     */
    public EventTimeWindowOperator(
            long sizeMillis,
            long slideMillis,
            WindowAggregate<K, IN, ?, OUT> aggregate,
            OutputTag<IN> lateData,
            long allowedLatenessMillis) {
        this(sizeMillis, slideMillis, WindowContents.of(aggregate), lateData, allowedLatenessMillis);
    }

    /**
     * Windows evaluated by a process window function, alone or after an incremental aggregate; see {@link
     * #EventTimeWindowOperator(long, long, WindowAggregate, OutputTag, long)} for the other arguments.
     */
    public EventTimeWindowOperator(
            long sizeMillis,
            long slideMillis,
            WindowProcessing<K, IN, OUT> processing,
            OutputTag<IN> lateData,
            long allowedLatenessMillis) {
        this(sizeMillis, slideMillis, WindowContents.of(processing), lateData, allowedLatenessMillis);
    }

    private EventTimeWindowOperator(
            long sizeMillis,
            long slideMillis,
            WindowContents<K, IN, OUT> contents,
            OutputTag<IN> lateData,
            long allowedLatenessMillis) {
        checkShape(sizeMillis, slideMillis, allowedLatenessMillis);
        this.allowedLateness = allowedLatenessMillis;
        this.size = sizeMillis;
        this.slide = slideMillis;
        this.contents = contents;
        this.lateData = lateData;
    }

    /**
     * @throws ConfigurationException if the size is not positive, the slide is not in {@code [1, size]} or the lateness
     *     is negative
     */
    public static void checkShape(long sizeMillis, long slideMillis, long allowedLatenessMillis) {
        checkLateness(allowedLatenessMillis);
        if (sizeMillis <= 0) {
            throw new ConfigurationException("window size invalid: size=" + sizeMillis + ", min=1");
        }
        if (slideMillis <= 0 || slideMillis > sizeMillis) {
            throw new ConfigurationException(
                    "window slide invalid: slide=" + slideMillis + ", allowed=[1, size=" + sizeMillis + "]");
        }
    }

    /** @throws ConfigurationException if the lateness is negative */
    static void checkLateness(long allowedLatenessMillis) {
        if (allowedLatenessMillis < 0) {
            throw new ConfigurationException(
                    "allowed lateness invalid: allowedLateness=" + allowedLatenessMillis + ", min=0");
        }
    }

    @Override
    public void open(RuntimeContext context) throws Exception {
        OperatorContext operator = (OperatorContext) context;
        firing = new WindowFiring<>(operator, false);
        contents.open(operator, firing);
    }

    @Override
    public void processElement(IN value, Context<K> ctx, Collector<OUT> out) throws Exception {
        long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        boolean taken = false;
        for (long start = ts - Math.floorMod(ts, slide); start > ts - size; start -= slide) {
            long last = start + size - 1;
            if (last + allowedLateness < watermark) {
                continue; // this window is closed and cleared
            }
            contents.select(start);
            contents.add(value);
            taken = true;
            if (last < watermark) {
                firing.set(ctx, start, start + size, start);
                contents.emit(firing, out); // fired: update now
            } else {
                ctx.timerService().registerEventTimeTimer(last);
            }
            if (allowedLateness > 0) {
                ctx.timerService().registerEventTimeTimer(last + allowedLateness);
            }
        }
        if (!taken) {
            droppedLate++;
            if (lateData != null) {
                ctx.output(lateData, value);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<K> ctx, Collector<OUT> out) throws Exception {
        // one timer time can be the end of one window and the cleanup time of an earlier one (timers are deduplicated)
        long ending = timestamp + 1 - size;
        contents.select(ending);
        firing.set(ctx, ending, ending + size, ending);
        boolean fired = contents.emit(firing, out);
        if (allowedLateness == 0) {
            if (fired) {
                contents.purge(firing);
            }
            return;
        }
        long expired = ending - allowedLateness;
        contents.select(expired);
        if (!contents.isEmpty()) {
            firing.set(ctx, expired, expired + size, expired);
            contents.purge(firing);
        }
    }

    @Override
    public void close() throws Exception {
        contents.close();
    }

    /** Records all of whose windows had fired when they arrived. */
    public long droppedLate() {
        return droppedLate;
    }
}

package io.tidemark.pipeline.operator;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.NamespacedState;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.function.WindowAggregate;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;

/**
 * Event-time windows of {@code size} ms starting every {@code slide} ms (tumbling when {@code slide == size}, sliding
 * when smaller) as a keyed function: a record with timestamp {@code ts} belongs to every window {@code [start, start +
 * size)} with {@code start} a multiple of {@code slide} and {@code start <= ts < start + size}. Each window's accumulator
 * is keyed state in namespace {@code start}; an event-time timer at the window's last millisecond emits the result. With
 * an allowed lateness {@code L}, the window keeps its state until the watermark passes {@code last + L}: a record that
 * arrives in that time is added and the window emits its updated result at once (one more output row for the window);
 * after it, a cleanup timer clears the state and the window takes no more records. A record none of whose windows takes
 * it is late: counted ({@link #droppedLate()}) and either dropped or, with a late-data tag, sent to that side output.
 */
public final class EventTimeWindowOperator<K, IN, ACC, OUT> extends KeyedProcessFunction<K, IN, OUT> {
    private final long size;
    private final long slide;
    private final WindowAggregate<K, IN, ACC, OUT> aggregate;
    private final OutputTag<IN> lateData;
    private final long allowedLateness;
    private ValueState<ACC> accumulator;
    private NamespacedState<Long> namespace;
    private long droppedLate;

    /**
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
            WindowAggregate<K, IN, ACC, OUT> aggregate,
            OutputTag<IN> lateData,
            long allowedLatenessMillis) {
        checkShape(sizeMillis, slideMillis, allowedLatenessMillis);
        this.allowedLateness = allowedLatenessMillis;
        this.size = sizeMillis;
        this.slide = slideMillis;
        this.aggregate = aggregate;
        this.lateData = lateData;
    }

    /**
     * @throws ConfigurationException if the size is not positive, the slide is not in {@code [1, size]} or the lateness
     *     is negative
     */
    public static void checkShape(long sizeMillis, long slideMillis, long allowedLatenessMillis) {
        if (allowedLatenessMillis < 0) {
            throw new ConfigurationException(
                    "allowed lateness invalid: allowedLateness=" + allowedLatenessMillis + ", min=0");
        }
        if (sizeMillis <= 0) {
            throw new ConfigurationException("window size invalid: size=" + sizeMillis + ", min=1");
        }
        if (slideMillis <= 0 || slideMillis > sizeMillis) {
            throw new ConfigurationException(
                    "window slide invalid: slide=" + slideMillis + ", allowed=[1, size=" + sizeMillis + "]");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(RuntimeContext context) {
        accumulator = ((OperatorContext) context)
                .keyedBackend()
                .getOrCreateKeyedState(
                        LongSerializer.INSTANCE,
                        new ValueStateDescriptor<>("window-accumulator", aggregate.accumulatorSerializer()));
        namespace = (NamespacedState<Long>) accumulator;
    }

    @Override
    public void processElement(IN value, Context<K> ctx, Collector<OUT> out) {
        long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        boolean taken = false;
        for (long start = ts - Math.floorMod(ts, slide); start > ts - size; start -= slide) {
            long last = start + size - 1;
            if (last + allowedLateness < watermark) {
                continue; // this window is closed and cleared
            }
            namespace.setCurrentNamespace(start);
            ACC acc = accumulator.value();
            ACC next = aggregate.add(value, acc == null ? aggregate.createAccumulator() : acc);
            accumulator.update(next);
            taken = true;
            if (last < watermark) {
                out.collect(aggregate.result(ctx.getCurrentKey(), start, start + size, next)); // fired: update now
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
    public void onTimer(long timestamp, OnTimerContext<K> ctx, Collector<OUT> out) {
        // one timer time can be the end of one window and the cleanup time of an earlier one (timers are deduplicated)
        long ending = timestamp + 1 - size;
        namespace.setCurrentNamespace(ending);
        ACC acc = accumulator.value();
        if (acc != null) {
            out.collect(aggregate.result(ctx.getCurrentKey(), ending, ending + size, acc));
            if (allowedLateness == 0) {
                accumulator.update(null);
            }
        }
        if (allowedLateness > 0) {
            namespace.setCurrentNamespace(ending - allowedLateness);
            accumulator.update(null);
        }
    }

    /** Records all of whose windows had fired when they arrived. */
    public long droppedLate() {
        return droppedLate;
    }
}

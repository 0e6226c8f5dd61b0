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
 * Event-time tumbling windows as a keyed function: the accumulator is keyed state in namespace {@code windowStart}; an
 * event-time timer at the window's last millisecond emits the result and clears the state. Records behind the
 * watermark are counted ({@link #droppedLate()}) and either dropped or, with a late-data tag, sent to that side output.
 */
public final class TumblingWindowOperator<K, IN, ACC, OUT> extends KeyedProcessFunction<K, IN, OUT> {
    private final long size;
    private final WindowAggregate<K, IN, ACC, OUT> aggregate;
    private ValueState<ACC> accumulator;
    private NamespacedState<Long> namespace;
    private final OutputTag<IN> lateData;
    private long droppedLate;

    public TumblingWindowOperator(long sizeMillis, WindowAggregate<K, IN, ACC, OUT> aggregate) {
        this(sizeMillis, aggregate, null);
    }

    /** @param lateData the side output records behind the watermark go to, or {@code null} to drop them */
    public TumblingWindowOperator(long sizeMillis, WindowAggregate<K, IN, ACC, OUT> aggregate, OutputTag<IN> lateData) {
        if (sizeMillis <= 0) {
            throw new ConfigurationException("window size invalid: size=" + sizeMillis + ", min=1");
        }
        this.size = sizeMillis;
        this.aggregate = aggregate;
        this.lateData = lateData;
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
        if (ts < ctx.timerService().currentWatermark()) {
            droppedLate++;
            if (lateData != null) {
                ctx.output(lateData, value);
            }
            return;
        }
        long start = ts - Math.floorMod(ts, size);
        namespace.setCurrentNamespace(start);
        ACC acc = accumulator.value();
        accumulator.update(aggregate.add(value, acc == null ? aggregate.createAccumulator() : acc));
        ctx.timerService().registerEventTimeTimer(start + size - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<K> ctx, Collector<OUT> out) {
        long start = timestamp + 1 - size;
        namespace.setCurrentNamespace(start);
        ACC acc = accumulator.value();
        if (acc != null) {
            out.collect(aggregate.result(ctx.getCurrentKey(), start, start + size, acc));
            accumulator.update(null);
        }
    }

    public long droppedLate() {
        return droppedLate;
    }
}

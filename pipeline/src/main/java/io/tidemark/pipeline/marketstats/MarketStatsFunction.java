package io.tidemark.pipeline.marketstats;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.Serializers;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per symbol: 1-minute event-time tumbling windows (start = {@code ts - ts % 60000}) in keyed map state
 * {@code windows}, each emitted by an event-time timer at its last millisecond, and running totals in keyed state
 * {@code totals}. Records arrive already checked for lateness by the source.
 */
public final class MarketStatsFunction extends KeyedProcessFunction<String, Trade, WindowStats> {
    public static final long WINDOW_MILLIS = 60_000;

    /** A window's accumulator. Public for the record serializer. */
    public record WindowAcc(long count, long volume, long notional, long high, long low) {}

    /** Running totals of a symbol, queryable as state {@code totals}. */
    public record Totals(long count, long volume, long notional) {}

    private final AtomicLong failCountdown;
    private MapState<Long, WindowAcc> windows;
    private ValueState<Totals> totals;

    /** @param failCountdown when not null, the call that brings it to 0 throws (failure injection for demo/tests) */
    public MarketStatsFunction(AtomicLong failCountdown) {
        this.failCountdown = failCountdown;
    }

    @Override
    public void open(RuntimeContext context) {
        windows = context.getState(
                new MapStateDescriptor<>("windows", LongSerializer.INSTANCE, Serializers.of(WindowAcc.class)));
        ValueStateDescriptor<Totals> totalsDescriptor =
                new ValueStateDescriptor<>("totals", Serializers.of(Totals.class));
        totalsDescriptor.setQueryable("totals");
        totals = context.getState(totalsDescriptor);
    }

    @Override
    public void processElement(Trade trade, Context<String> ctx, Collector<WindowStats> out) {
        // read first: once the failure fired the countdown is only read, so the instances stop contending for it
        if (failCountdown != null && failCountdown.get() > 0 && failCountdown.decrementAndGet() == 0) {
            throw new IllegalStateException("injected failure (failure injection for the demo and tests)");
        }
        long ts = trade.timestamp();
        long start = ts - Math.floorMod(ts, WINDOW_MILLIS);
        long notional = Math.multiplyExact(trade.priceTicks(), trade.quantity());
        WindowAcc acc = windows.get(start);
        if (acc == null) {
            acc = new WindowAcc(1, trade.quantity(), notional, trade.priceTicks(), trade.priceTicks());
            ctx.timerService().registerEventTimeTimer(start + WINDOW_MILLIS - 1);
        } else {
            acc = new WindowAcc(
                    acc.count() + 1,
                    Math.addExact(acc.volume(), trade.quantity()),
                    Math.addExact(acc.notional(), notional),
                    Math.max(acc.high(), trade.priceTicks()),
                    Math.min(acc.low(), trade.priceTicks()));
        }
        windows.put(start, acc);
        Totals t = totals.value();
        totals.update(
                t == null
                        ? new Totals(1, trade.quantity(), notional)
                        : new Totals(t.count() + 1, t.volume() + trade.quantity(), t.notional() + notional));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<WindowStats> out) {
        long start = timestamp + 1 - WINDOW_MILLIS;
        WindowAcc acc = windows.get(start);
        if (acc != null) {
            out.collect(new WindowStats(
                    start, ctx.getCurrentKey(), acc.count(), acc.volume(), acc.notional(), acc.high(), acc.low()));
            windows.remove(start);
        }
    }
}

package io.tidemark.pipeline.operator;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.TimeDomain;

/**
 * A keyed function that does to its key's timers what each {@link Command} says and emits a {@link Fired} for every
 * timer that fires, naming the key current at that moment.
 */
final class TimerRecorder extends KeyedProcessFunction<Long, TimerRecorder.Command, TimerRecorder.Fired> {
    /** Register (or delete) the timer of {@code key} at {@code time} in the event-time (or processing-time) domain. */
    record Command(long key, long time, boolean eventTime, boolean delete) {
        static Command register(long key, long time, boolean eventTime) {
            return new Command(key, time, eventTime, false);
        }

        static Command delete(long key, long time, boolean eventTime) {
            return new Command(key, time, eventTime, true);
        }
    }

    /** A timer that fired: the current key, the timer's time and domain. */
    record Fired(long key, long time, TimeDomain domain) {}

    @Override
    public void processElement(Command command, Context<Long> ctx, Collector<Fired> out) {
        if (command.eventTime()) {
            if (command.delete()) {
                ctx.timerService().deleteEventTimeTimer(command.time());
            } else {
                ctx.timerService().registerEventTimeTimer(command.time());
            }
        } else if (command.delete()) {
            ctx.timerService().deleteProcessingTimeTimer(command.time());
        } else {
            ctx.timerService().registerProcessingTimeTimer(command.time());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<Fired> out) {
        out.collect(new Fired(ctx.getCurrentKey(), timestamp, ctx.timeDomain()));
    }
}

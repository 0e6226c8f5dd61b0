package io.tidemark.pipeline.operator;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.function.TimeDomain;
import io.tidemark.function.TimerService;

/**
 * The timers of a keyed operator instance ({@link KeyedTimers}) and the context its function sees while it processes a
 * record or a timer: the current key, timestamp and time domain, the timer service, side outputs. The two-input
 * operators subclass it to add what their function's context adds. Operator thread only; firing allocates nothing
 * beyond what {@link KeyedTimers} does.
 *
 * @param <K> the key type
 */
class KeyedTimerContext<K> implements KeyedProcessFunction.OnTimerContext<K>, TimerService {
    /** What a firing timer calls: the operator's function's {@code onTimer}, with the timer's key current. */
    interface TimerTarget {
        void onTimer(long time) throws Exception;
    }

    private final KeyedStateBackend<Object> backend;
    private final RecordOutput output;
    private final TimerTarget target;
    private KeyedTimers timers;
    private long watermark = Long.MIN_VALUE;
    private long timestamp;
    private TimeDomain domain;

    KeyedTimerContext(OperatorContext context, TimerTarget target) {
        this.backend = context.keyedBackend();
        this.output = context.output();
        this.target = target;
    }

    /** Registers the timer states and, when {@code restored}, rebuilds the timer index from them. */
    final void initializeTimers(boolean restored) {
        timers = new KeyedTimers(backend);
        if (restored) {
            timers.restore();
        }
    }

    /** Timers pending, for metrics and tests. */
    final int timerCount() {
        return timers.size();
    }

    /** A record with {@code recordTimestamp} is about to be processed. */
    final void startRecord(long recordTimestamp) {
        timestamp = recordTimestamp;
        domain = null;
    }

    /** Fires the event-time timers the watermark makes due, then forwards it. */
    final void advanceWatermark(long newWatermark) throws Exception {
        watermark = newWatermark;
        backend.setCurrentWatermark(newWatermark);
        TimerHeap.Timer timer;
        while ((timer = timers.pollDue(true, newWatermark)) != null) {
            fire(timer, TimeDomain.EVENT_TIME);
        }
        output.emitWatermark(newWatermark);
    }

    /** Fires the processing-time timers that are due by the clock. */
    final void fireProcessingTimers() throws Exception {
        if (timers.hasProcessingTimers()) {
            long now = System.currentTimeMillis();
            TimerHeap.Timer timer;
            while ((timer = timers.pollDue(false, now + 1)) != null) {
                fire(timer, TimeDomain.PROCESSING_TIME);
            }
        }
    }

    private void fire(TimerHeap.Timer timer, TimeDomain timeDomain) throws Exception {
        timestamp = timer.time();
        domain = timeDomain;
        output.setTimestamp(timer.time());
        target.onTimer(timer.time());
    }

    @Override
    public final long timestamp() {
        return timestamp;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final K getCurrentKey() {
        return (K) backend.currentKey();
    }

    @Override
    public final TimerService timerService() {
        return this;
    }

    @Override
    public final <X> void output(OutputTag<X> tag, X value) {
        output.emitSide(tag, value);
    }

    @Override
    public final TimeDomain timeDomain() {
        return domain;
    }

    @Override
    public final long currentProcessingTime() {
        return System.currentTimeMillis();
    }

    @Override
    public final long currentWatermark() {
        return watermark;
    }

    @Override
    public final void registerEventTimeTimer(long time) {
        timers.register(true, time);
    }

    @Override
    public final void registerProcessingTimeTimer(long time) {
        timers.register(false, time);
    }

    @Override
    public final void deleteEventTimeTimer(long time) {
        timers.delete(true, time);
    }

    @Override
    public final void deleteProcessingTimeTimer(long time) {
        timers.delete(false, time);
    }
}

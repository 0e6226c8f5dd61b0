package io.tidemark.pipeline.operator;

import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.TimeDomain;
import io.tidemark.function.TimerService;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.LongKeySelector;
import io.tidemark.serialization.Serializers;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;

/**
 * Drives a {@link KeyedProcessFunction}: sets the record's key on the keyed backend, fires timers as the watermark (or
 * the clock) passes them, and checkpoints the timers with the operator's state. Operator thread only.
 */
public final class KeyedProcessOperator<K, IN, OUT> implements StreamOperator {
    private static final String TIMER_STATE = "_timers";

    private final KeyedProcessFunction<K, IN, OUT> fn;
    private final TimerQueue timers = new TimerQueue();
    private final ContextImpl contextImpl = new ContextImpl();
    private OperatorContext context;
    private KeyedStateBackend<Object> backend;
    private KeySelector<Object, Object> selector;
    /** The selector when it yields primitive long keys (set through {@code setCurrentKey(long)}), else null. */
    private LongKeySelector<Object> longKeys;

    private RecordOutput output;
    private ListState<TimerQueue.TimerEntry> timerState;
    private long watermark = Long.MIN_VALUE;
    private long currentTimestamp;
    private TimeDomain currentDomain;

    public KeyedProcessOperator(KeyedProcessFunction<K, IN, OUT> fn) {
        this.fn = fn;
    }

    @Override
    public KeyedProcessFunction<K, IN, OUT> function() {
        return fn;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setup(OperatorContext ctx) {
        this.context = ctx;
        this.backend = ctx.keyedBackend();
        this.selector = ctx.keySelector();
        final Object untyped = selector;
        this.longKeys = untyped instanceof LongKeySelector<?> ? (LongKeySelector<Object>) untyped : null;
        this.output = ctx.output();
    }

    @Override
    public void initializeState(boolean restored) throws Exception {
        timerState = context.operatorBackend()
                .getUnionListState(new ListStateDescriptor<>(TIMER_STATE, Serializers.of(TimerQueue.TimerEntry.class)));
        if (restored) {
            Iterable<TimerQueue.TimerEntry> entries = timerState.get();
            if (entries != null) {
                timers.restore(entries, backend);
            }
        }
        if (fn instanceof CheckpointedFunction checkpointed) {
            checkpointed.initializeState(context.operatorBackend(), restored);
        }
    }

    @Override
    public void open() throws Exception {
        fn.open(context);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processRecord(Object record, long timestamp) throws Exception {
        if (longKeys != null) {
            backend.setCurrentKey(longKeys.getLongKey(record)); // no key object on the record path
        } else {
            backend.setCurrentKey(selector.getKey(record));
        }
        currentTimestamp = timestamp;
        currentDomain = null;
        fn.processElement((IN) record, contextImpl, (Collector<OUT>) (Object) output);
    }

    @Override
    public void processWatermark(long newWatermark, OperatorContext ctx) throws Exception {
        watermark = newWatermark;
        backend.setCurrentWatermark(newWatermark);
        TimerQueue.Timer timer;
        while ((timer = timers.pollDue(true, newWatermark)) != null) {
            fire(timer, TimeDomain.EVENT_TIME);
        }
        output.emitWatermark(newWatermark);
    }

    @Override
    public void onIdle() throws Exception {
        if (timers.hasProcessingTimers()) {
            long now = System.currentTimeMillis();
            TimerQueue.Timer timer;
            while ((timer = timers.pollDue(false, now + 1)) != null) {
                fire(timer, TimeDomain.PROCESSING_TIME);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void fire(TimerQueue.Timer timer, TimeDomain domain) throws Exception {
        backend.setCurrentKey(timer.key());
        currentTimestamp = timer.time();
        currentDomain = domain;
        output.setTimestamp(timer.time());
        fn.onTimer(timer.time(), contextImpl, (Collector<OUT>) (Object) output);
    }

    @Override
    public void snapshotState(long checkpointId) throws Exception {
        timerState.update(timers.toEntries(backend.keySerializer()));
        StreamOperator.super.snapshotState(checkpointId);
    }

    @Override
    public void close() throws Exception {
        fn.close();
    }

    /** Timers pending, for metrics and tests. */
    int timerCount() {
        return timers.size();
    }

    private final class ContextImpl implements KeyedProcessFunction.OnTimerContext<K>, TimerService {
        @Override
        public long timestamp() {
            return currentTimestamp;
        }

        @Override
        @SuppressWarnings("unchecked")
        public K getCurrentKey() {
            return (K) backend.currentKey();
        }

        @Override
        public TimerService timerService() {
            return this;
        }

        @Override
        public TimeDomain timeDomain() {
            return currentDomain;
        }

        @Override
        public long currentProcessingTime() {
            return System.currentTimeMillis();
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public void registerEventTimeTimer(long time) {
            timers.register(true, time, backend.currentKey());
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            timers.register(false, time, backend.currentKey());
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            timers.delete(true, time, backend.currentKey());
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            timers.delete(false, time, backend.currentKey());
        }
    }
}

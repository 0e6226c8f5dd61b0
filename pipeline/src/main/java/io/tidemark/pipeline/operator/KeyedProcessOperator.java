package io.tidemark.pipeline.operator;

import io.tidemark.IncompatibleStateException;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.function.TimeDomain;
import io.tidemark.function.TimerService;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.LongKeySelector;

/**
 * Drives a {@link KeyedProcessFunction}: sets the record's key on the keyed backend and fires timers as the watermark
 * (or the clock) passes them. The timers are keyed state ({@link KeyedTimers}), so a checkpoint's synchronous part does
 * nothing for them. Operator thread only.
 */
public final class KeyedProcessOperator<K, IN, OUT> implements StreamOperator {
    /**
     * The union list operator state in which versions before timers became keyed state kept every timer. This version
     * does not read it: restoring a checkpoint that has it is refused.
     */
    static final String UNION_TIMER_STATE = "_timers";

    private final KeyedProcessFunction<K, IN, OUT> fn;
    private KeyedTimers timers;
    private final ContextImpl contextImpl = new ContextImpl();
    private OperatorContext context;
    private KeyedStateBackend<Object> backend;
    private KeySelector<Object, Object> selector;
    /** The selector when it yields primitive long keys (set through {@code setCurrentKey(long)}), else null. */
    private LongKeySelector<Object> longKeys;

    private RecordOutput output;
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

    /**
     * Registers the timer states and, when {@code restored}, rebuilds the timer index from them.
     *
     * @throws IncompatibleStateException if the restored operator state holds the union list timer state of an older
     *     version ({@value #UNION_TIMER_STATE})
     */
    @Override
    public void initializeState(boolean restored) throws Exception {
        if (restored && context.operatorBackend().stateNames().contains(UNION_TIMER_STATE)) {
            throw new IncompatibleStateException("checkpoint holds timers in the union list operator state of an older "
                    + "version, which this version does not read: operator=" + context.operatorName() + ", subtask="
                    + context.indexOfThisSubtask() + ", state=" + UNION_TIMER_STATE + "; restore it with the version "
                    + "that wrote it, or drop the state offline (SavepointTransform.dropOperatorState) and lose its "
                    + "timers");
        }
        timers = new KeyedTimers(backend);
        if (restored) {
            timers.restore();
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

    /** Keyed by primitive {@code long}: the backend gets the next keys as a hint, so their cache misses overlap. */
    @Override
    public boolean prefetches() {
        return longKeys != null;
    }

    @Override
    public void prefetch(Object record) {
        backend.prefetch(longKeys.getLongKey(record));
    }

    @Override
    public void processWatermark(long newWatermark, OperatorContext ctx) throws Exception {
        watermark = newWatermark;
        backend.setCurrentWatermark(newWatermark);
        TimerHeap.Timer timer;
        while ((timer = timers.pollDue(true, newWatermark)) != null) {
            fire(timer, TimeDomain.EVENT_TIME);
        }
        output.emitWatermark(newWatermark);
    }

    @Override
    public void onIdle() throws Exception {
        if (timers.hasProcessingTimers()) {
            long now = System.currentTimeMillis();
            TimerHeap.Timer timer;
            while ((timer = timers.pollDue(false, now + 1)) != null) {
                fire(timer, TimeDomain.PROCESSING_TIME);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void fire(TimerHeap.Timer timer, TimeDomain domain) throws Exception {
        currentTimestamp = timer.time();
        currentDomain = domain;
        output.setTimestamp(timer.time());
        fn.onTimer(timer.time(), contextImpl, (Collector<OUT>) (Object) output);
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
        public <X> void output(OutputTag<X> tag, X value) {
            output.emitSide(tag, value);
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
            timers.register(true, time);
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            timers.register(false, time);
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            timers.delete(true, time);
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            timers.delete(false, time);
        }
    }
}

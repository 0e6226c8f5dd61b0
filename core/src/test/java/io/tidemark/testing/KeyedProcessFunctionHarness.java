package io.tidemark.testing;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.function.TimeDomain;
import io.tidemark.function.TimerService;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.State;
import io.tidemark.state.StateDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Drives one {@link KeyedProcessFunction} on the calling thread against a real keyed backend, for unit tests and for
 * the documentation examples. Timers live in memory here (the pipeline runtime keeps them in keyed state).
 */
public final class KeyedProcessFunctionHarness<K, IN, OUT> implements AutoCloseable {
    private record Timer<K>(long time, K key, TimeDomain domain) {}

    private final KeyedProcessFunction<K, IN, OUT> function;
    private final Function<IN, K> keySelector;
    private final KeyedStateBackend<K> backend;
    private final List<OUT> output = new ArrayList<>();
    private final java.util.Map<OutputTag<?>, List<Object>> sideOutputs = new java.util.LinkedHashMap<>();
    private final Set<Timer<K>> timers = new LinkedHashSet<>();
    private long watermark = Long.MIN_VALUE;
    private long processingTime;
    private long timestamp;

    public KeyedProcessFunctionHarness(
            StateBackend stateBackend,
            KeyedProcessFunction<K, IN, OUT> function,
            Function<IN, K> keySelector,
            StateSerializer<K> keySerializer,
            int maxParallelism)
            throws Exception {
        this.function = function;
        this.keySelector = keySelector;
        TtlClock clock = () -> processingTime;
        this.backend = stateBackend.createKeyedStateBackend(new KeyedBackendParameters<>(
                "harness", keySerializer, maxParallelism, KeyGroupRange.all(maxParallelism), clock, null));
        function.open(new Runtime());
    }

    /** Processes one record with event timestamp {@code timestamp}. */
    public void processElement(IN record, long timestamp) throws Exception {
        this.timestamp = timestamp;
        backend.setCurrentKey(keySelector.apply(record));
        function.processElement(record, new Ctx(null), output::add);
    }

    /** Advances the watermark and fires due event-time timers in time order. */
    public void processWatermark(long newWatermark) throws Exception {
        watermark = newWatermark;
        backend.setCurrentWatermark(newWatermark);
        fire(TimeDomain.EVENT_TIME, newWatermark);
    }

    /** Advances processing time and fires due processing-time timers. */
    public void setProcessingTime(long time) throws Exception {
        processingTime = time;
        fire(TimeDomain.PROCESSING_TIME, time);
    }

    private void fire(TimeDomain domain, long upTo) throws Exception {
        List<Timer<K>> due = new ArrayList<>();
        for (Timer<K> timer : timers) {
            if (timer.domain() == domain && timer.time() <= upTo) {
                due.add(timer);
            }
        }
        due.sort(Comparator.comparingLong(Timer::time));
        for (Timer<K> timer : due) {
            if (timers.remove(timer)) {
                timestamp = timer.time();
                backend.setCurrentKey(timer.key());
                function.onTimer(timer.time(), new Ctx(domain), output::add);
            }
        }
    }

    public List<OUT> output() {
        return output;
    }

    /** What the function sent to side output {@code tag}, in order (a copy). */
    @SuppressWarnings("unchecked")
    public <X> List<X> sideOutput(OutputTag<X> tag) {
        return new ArrayList<>((List<X>) (List<?>) sideOutputs.getOrDefault(tag, List.of()));
    }

    public KeyedStateBackend<K> backend() {
        return backend;
    }

    @Override
    public void close() {
        try {
            function.close();
        } catch (Exception e) {
            throw new IllegalStateException("function close failed", e);
        } finally {
            backend.close();
        }
    }

    private final class Runtime implements RuntimeContext {
        @Override
        public <S extends State> S getState(StateDescriptor<S, ?> descriptor) {
            return backend.getOrCreateKeyedState(descriptor);
        }

        @Override
        public String operatorName() {
            return "harness";
        }

        @Override
        public int indexOfThisSubtask() {
            return 0;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public int maxParallelism() {
            return backend.maxParallelism();
        }
    }

    private final class Ctx implements KeyedProcessFunction.OnTimerContext<K>, TimerService {
        private final TimeDomain domain;

        Ctx(TimeDomain domain) {
            this.domain = domain;
        }

        @Override
        public TimeDomain timeDomain() {
            return domain;
        }

        @Override
        public long timestamp() {
            return timestamp;
        }

        @Override
        public K getCurrentKey() {
            return backend.currentKey();
        }

        @Override
        public TimerService timerService() {
            return this;
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutputs.computeIfAbsent(tag, t -> new ArrayList<>()).add(value);
        }

        @Override
        public long currentProcessingTime() {
            return processingTime;
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public void registerEventTimeTimer(long time) {
            timers.add(new Timer<>(time, backend.currentKey(), TimeDomain.EVENT_TIME));
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            timers.add(new Timer<>(time, backend.currentKey(), TimeDomain.PROCESSING_TIME));
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            timers.remove(new Timer<>(time, backend.currentKey(), TimeDomain.EVENT_TIME));
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            timers.remove(new Timer<>(time, backend.currentKey(), TimeDomain.PROCESSING_TIME));
        }
    }
}

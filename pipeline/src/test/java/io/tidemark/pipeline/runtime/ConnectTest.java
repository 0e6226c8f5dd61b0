package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.function.TimeDomain;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.DataStream;
import io.tidemark.pipeline.KeyedConnectedStreams;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.function.CoProcessFunction;
import io.tidemark.pipeline.function.KeyedCoProcessFunction;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.serialization.IntSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code connect}: two streams of different types into one operator. Keyed: each input partitioned by its own key
 * selector into the same key groups, keyed state and event-time timers shared by both inputs, through an injected
 * failure on every backend (exactly-once: each record of either input counted once, every timer fired; at-least-once:
 * nothing lost), with both sources on one worker too. Non-keyed: every record of both inputs reaches the co-process
 * function once, each to its own method, at another parallelism than either input.
 */
class ConnectTest {
    static final int ORDERS = 20_000;
    static final int PAYMENTS = 6_000;
    static final long TIMER_DELAY = 5;
    static final Map<Long, Long> MAX_COUNT = new ConcurrentHashMap<>();
    static final Set<String> OUTPUT = ConcurrentHashMap.newKeySet();
    static final AtomicLong FAIL = new AtomicLong();
    static final OutputTag<String> SECOND = new OutputTag<>("second");
    static final ConcurrentLinkedQueue<String> MAIN_LIST = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<String> SIDE_LIST = new ConcurrentLinkedQueue<>();

    @TempDir
    Path dir;

    /**
     * {@code keyAfterConnect}: the streams are connected first and keyed with {@code ConnectedStreams.keyBy}, else each
     * is keyed and the keyed streams are connected.
     */
    @ParameterizedTest(name = "{0} {1} workers={2} keyAfterConnect={3}")
    @CsvSource({
        "heap, EXACTLY_ONCE, 2, false",
        "offheap, EXACTLY_ONCE, 2, false",
        "chronicle, EXACTLY_ONCE, 2, false",
        "heap, AT_LEAST_ONCE, 2, false",
        "offheap, EXACTLY_ONCE, 1, false",
        "heap, EXACTLY_ONCE, 2, true"
    })
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void keyedConnectSharesStateAndTimersAcrossAFailure(
            String backend, CheckpointingMode mode, int workers, boolean keyAfterConnect) throws Exception {
        MAX_COUNT.clear();
        OUTPUT.clear();
        FAIL.set(12_000);
        Pipeline pipeline = new Pipeline(FailingRuns.context(dir.resolve(backend + mode + workers), backend, mode)
                .workers(workers));
        DataStream<Long> orders = pipeline.source("orders", () -> new TumblingWindowTest.EventSource(ORDERS), 2)
                .map("fail-once", FailingRuns.failOnce(FAIL));
        DataStream<String> payments = pipeline.source("payments", () -> new PaymentSource(PAYMENTS), 1);
        KeyedConnectedStreams<Long, Long, String> connected = keyAfterConnect
                ? orders.connect(payments)
                        .keyBy((Long v) -> v % 7, (String p) -> paymentNumber(p) % 7, LongSerializer.INSTANCE)
                : orders.keyBy((Long v) -> v % 7)
                        .connect(payments.keyBy((String p) -> paymentNumber(p) % 7, LongSerializer.INSTANCE));
        connected.process("match", Matcher::new, 3).sink("out", () -> (value, ts) -> OUTPUT.add(value), 2);

        JobRunner.Result result =
                new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        assertThat(result.restarts()).isEqualTo(1);
        Map<Long, Long> perKey = new TreeMap<>();
        Set<String> expected = new TreeSet<>();
        for (long v = 0; v < ORDERS; v++) {
            perKey.merge(v % 7, 1L, Long::sum);
            expected.add("order:" + v);
        }
        for (long n = 0; n < PAYMENTS; n++) {
            perKey.merge(n % 7, 1L, Long::sum);
            expected.add("timer:" + (n % 7) + "@" + (n / 3 + TIMER_DELAY));
        }
        assertThat(new TreeSet<>(OUTPUT)).isEqualTo(expected); // a replay may repeat, a set folds repeats
        if (mode == CheckpointingMode.EXACTLY_ONCE) {
            assertThat(new TreeMap<>(MAX_COUNT)).as("each record counted once").isEqualTo(perKey);
        } else {
            perKey.forEach((k, n) -> assertThat(MAX_COUNT.get(k)).as("key " + k).isGreaterThanOrEqualTo(n));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void coProcessFunctionGetsEachInputInItsOwnMethod() throws Exception {
        MAIN_LIST.clear();
        SIDE_LIST.clear();
        int numbers = 4_000;
        int payments = 1_000;
        Pipeline pipeline = new Pipeline(new PipelineContext()
                .stateDirectory(dir.resolve("co"))
                .defaultParallelism(2)
                .maxParallelism(16)
                .ringSize(64));
        DataStream<Long> a = pipeline.source("numbers", () -> new TumblingWindowTest.EventSource(numbers), 2);
        DataStream<String> b = pipeline.source("payments", () -> new PaymentSource(payments), 1);
        DataStream<String> tagged = a.connect(b).process("tag", Tagger::new, 3);
        tagged.sink("main", () -> (value, ts) -> MAIN_LIST.add(value), 3);
        tagged.sideOutput(SECOND).sink("side", () -> (value, ts) -> SIDE_LIST.add(value), 1);

        new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        List<String> main = new ArrayList<>();
        for (long v = 0; v < numbers; v++) {
            main.add("1:" + v + "@" + v / 10);
        }
        List<String> side = new ArrayList<>();
        for (long n = 0; n < payments; n++) {
            side.add("2:p" + n + "@" + n / 3);
        }
        assertThat(new ArrayList<>(MAIN_LIST)).as("each record once").containsExactlyInAnyOrderElementsOf(main);
        assertThat(new ArrayList<>(SIDE_LIST)).as("each record once").containsExactlyInAnyOrderElementsOf(side);
    }

    @Test
    void keyedStreamsWithKeySerializersOfDifferentClassesAreRefused() {
        Pipeline pipeline = new Pipeline(new PipelineContext().stateDirectory(dir.resolve("refused")));
        DataStream<Long> a = pipeline.source("a", () -> new TumblingWindowTest.EventSource(10), 1);
        DataStream<String> b = pipeline.source("b", () -> new PaymentSource(10), 1);
        var keyedA = a.keyBy((Long v) -> v % 7);
        var keyedB = b.keyBy((String p) -> (int) (paymentNumber(p) % 7), IntSerializer.INSTANCE);
        assertThatThrownBy(() -> keyedA.connect(rawKeyed(keyedB)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("connected keyed streams need one key serializer")
                .hasMessageContaining("IntSerializer");
    }

    /** The key types differ here on purpose: the check is on the serializers, which generics cannot catch. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static io.tidemark.pipeline.KeyedStream<Long, String> rawKeyed(io.tidemark.pipeline.KeyedStream stream) {
        return stream;
    }

    static long paymentNumber(String payment) {
        return Long.parseLong(payment.substring(1));
    }

    /**
     * Counts the records of both inputs per key in one state; a payment registers an event-time timer of its key
     * {@link #TIMER_DELAY} after its timestamp, which emits the key and time when it fires.
     */
    static final class Matcher extends KeyedCoProcessFunction<Long, Long, String, String> {
        private LongValueState count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new LongValueStateDescriptor("count"));
        }

        @Override
        public void processElement1(Long order, Context<Long> ctx, Collector<String> out) {
            MAX_COUNT.merge(ctx.getCurrentKey(), count.add(1), Math::max);
            out.collect("order:" + order);
        }

        @Override
        public void processElement2(String payment, Context<Long> ctx, Collector<String> out) {
            assertThat(ctx.getCurrentKey()).isEqualTo(paymentNumber(payment) % 7);
            MAX_COUNT.merge(ctx.getCurrentKey(), count.add(1), Math::max);
            ctx.timerService().registerEventTimeTimer(ctx.timestamp() + TIMER_DELAY);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<String> out) {
            assertThat(ctx.timeDomain()).isEqualTo(TimeDomain.EVENT_TIME);
            out.collect("timer:" + ctx.getCurrentKey() + "@" + timestamp);
        }
    }

    /** First-input records to the main output, second-input ones to a side output, each with its timestamp. */
    static final class Tagger extends CoProcessFunction<Long, String, String> {
        @Override
        public void processElement1(Long value, Context ctx, Collector<String> out) {
            out.collect("1:" + value + "@" + ctx.timestamp());
        }

        @Override
        public void processElement2(String value, Context ctx, Collector<String> out) {
            ctx.output(SECOND, "2:" + value + "@" + ctx.timestamp());
        }
    }

    /** Payments "p0", "p1", ...: payment n has timestamp n / 3 and is followed by watermark n / 3. One instance. */
    static final class PaymentSource extends OffsetSource<String> {
        private final long count;

        PaymentSource(long count) {
            this.count = count;
        }

        @Override
        public boolean emitNext(SourceContext<String> ctx) {
            if (next >= count) {
                return false;
            }
            ctx.collect("p" + next, next / 3);
            ctx.emitWatermark(next / 3);
            next++;
            return true;
        }
    }
}

package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.BroadcastStream;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.DataStream;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.function.BroadcastProcessFunction;
import io.tidemark.pipeline.function.KeyedBroadcastProcessFunction;
import io.tidemark.pipeline.function.ReadOnlyBroadcastState;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Broadcast streams: every record of the broadcast input reaches every instance; broadcast state is checkpointed and
 * restored with the keyed state (exactly-once through an injected failure on every backend, checked by an invariant
 * that ties both together whatever order the two inputs interleave in), restored at another parallelism (every new
 * instance gets it), and read-only on the non-broadcast side.
 *
 * <p>The invariant: a rule (a broadcast record) is put into the broadcast state and added, with {@code
 * applyToKeyedState}, to the {@code applied} count of every key seen so far; a key seen for the first time starts at
 * one plus the number of rules in the broadcast state. So at the end every key's {@code applied} is one plus the number
 * of rules, exactly, if and only if each rule and each first record took effect once in both states.
 */
class BroadcastTest {
    static final MapStateDescriptor<Long, Long> RULES =
            new MapStateDescriptor<>("rules", LongSerializer.INSTANCE, LongSerializer.INSTANCE);
    static final LongValueStateDescriptor APPLIED = new LongValueStateDescriptor("applied");
    static final OutputTag<String> RULES_SEEN = new OutputTag<>("rules-seen");
    static final Map<Long, String> FINAL = new ConcurrentHashMap<>();
    static final Map<Integer, Long> RULES_PER_INSTANCE = new ConcurrentHashMap<>();
    static final ConcurrentLinkedQueue<String> MAIN_LIST = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<String> SIDE_LIST = new ConcurrentLinkedQueue<>();
    static final AtomicLong FAIL = new AtomicLong();
    static final AtomicLong COMPLETED = new AtomicLong();
    /** The completed checkpoint count when the rule source emitted its last rule, or -1. */
    static final AtomicLong RULES_DONE_AT = new AtomicLong(-1);

    @TempDir
    Path dir;

    /** With one worker, every chain shares it: the aligning operator must still get both sources' barriers. */
    @ParameterizedTest(name = "{0} workers={1}")
    @CsvSource({"heap, 2", "offheap, 2", "chronicle, 2", "offheap, 1"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void keyedBroadcastStateAndKeyedStateAgreeAcrossAFailure(String backend, int workers) throws Exception {
        reset();
        FAIL.set(12_000);
        int events = 20_000;
        int rules = 40;
        Pipeline pipeline = new Pipeline(
                FailingRuns.context(dir.resolve(backend + workers), backend, CheckpointingMode.EXACTLY_ONCE)
                        .workers(workers));
        BroadcastStream<Long> broadcast =
                pipeline.source("rules", () -> new RuleSource(rules, 25), 1).broadcast(RULES);
        pipeline.source("events", () -> new TumblingWindowTest.EventSource(events), 2)
                .map("fail-once", FailingRuns.failOnce(FAIL))
                .keyBy((Long v) -> v % 11)
                .connect(broadcast)
                .process("apply-rules", RuleCounter::new, 3)
                .sink("out", () -> (value, ts) -> {}, 1);

        JobRunner.Result result =
                new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        assertThat(result.restarts()).isEqualTo(1);
        assertThat(new TreeMap<>(FINAL)).isEqualTo(expectedFinal(events, 11, rules));
        assertThat(RULES_PER_INSTANCE).hasSize(3).allSatisfy((subtask, n) -> assertThat(n)
                .isEqualTo(rules));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void broadcastStateIsRestoredOnEveryInstanceAtAnotherParallelism() throws Exception {
        reset();
        int events = 6_000;
        int rules = 30;
        AtomicReference<Long> restoredFrom = new AtomicReference<>();
        JobRunner.Events events2 = new JobRunner.Events() {
            @Override
            public void ready(int attempt, Long restoredCheckpoint) {
                restoredFrom.set(restoredCheckpoint);
            }

            @Override
            public void completed(long id, String location, long bytes, long durationMillis, long pause) {
                COMPLETED.incrementAndGet();
            }
        };
        for (int parallelism : new int[] {2, 3}) {
            boolean first = parallelism == 2;
            Pipeline pipeline = new Pipeline(FailingRuns.context(dir, "heap", CheckpointingMode.EXACTLY_ONCE)
                    .restartStrategy(RestartStrategy.none()));
            BroadcastStream<Long> broadcast =
                    pipeline.source("rules", () -> new RuleSource(rules, 1), 1).broadcast(RULES);
            pipeline.source("events", () -> new GatedSource(events, first), 1)
                    .keyBy((Long v) -> v % 101)
                    .connect(broadcast)
                    .process("apply-rules", RuleCounter::new, parallelism)
                    .sink("out", () -> (value, ts) -> {}, 1);
            JobRunner runner = new JobRunner(pipeline, events2);
            if (first) {
                assertThatThrownBy(() -> runner.run(new JobRunner.RestoreMode.Latest()))
                        .hasMessageContaining("injected");
            } else {
                runner.run(new JobRunner.RestoreMode.Latest());
            }
        }

        assertThat(restoredFrom.get())
                .as("the second run restored a checkpoint")
                .isNotNull();
        assertThat(new TreeMap<>(FINAL)).isEqualTo(expectedFinal(events, 101, rules));
        assertThat(RULES_PER_INSTANCE).hasSize(3).allSatisfy((subtask, n) -> assertThat(n)
                .isEqualTo(rules));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyInstanceGetsEveryBroadcastRecord() throws Exception {
        reset();
        int numbers = 4_000;
        int rules = 20;
        Pipeline pipeline = new Pipeline(context("plain"));
        BroadcastStream<Long> broadcast =
                pipeline.source("rules", () -> new RuleSource(rules, 3), 1).broadcast(RULES);
        DataStream<String> out = pipeline.source("numbers", () -> new TumblingWindowTest.EventSource(numbers), 2)
                .connect(broadcast)
                .process("tag", RuleTagger::new, 3);
        out.sink("main", () -> (value, ts) -> MAIN_LIST.add(value), 3);
        out.sideOutput(RULES_SEEN).sink("side", () -> (value, ts) -> SIDE_LIST.add(value), 1);

        new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        List<String> main = new ArrayList<>();
        for (long v = 0; v < numbers; v++) {
            main.add("n:" + v);
        }
        List<String> side = new ArrayList<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            for (long r = 0; r < rules; r++) {
                side.add(subtask + ":" + r + ":" + (r + 1));
            }
        }
        assertThat(new ArrayList<>(MAIN_LIST)).containsExactlyInAnyOrderElementsOf(main);
        assertThat(new ArrayList<>(SIDE_LIST))
                .as("each instance got each rule once, in order")
                .containsExactlyInAnyOrderElementsOf(side);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBroadcastStateTheStreamDidNotDeclareIsRefusedNamingIt() {
        Pipeline pipeline = new Pipeline(context("undeclared").restartStrategy(RestartStrategy.none()));
        BroadcastStream<Long> broadcast =
                pipeline.source("rules", () -> new RuleSource(3, 1), 1).broadcast(RULES);
        pipeline.source("numbers", () -> new TumblingWindowTest.EventSource(10), 2)
                .connect(broadcast)
                .process("undeclared", UndeclaredReader::new, 1)
                .sink("main", () -> (value, ts) -> {}, 1);

        assertThatThrownBy(
                        () -> new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None()))
                .hasStackTraceContaining("broadcast state not declared by the broadcast stream: state=other")
                .hasStackTraceContaining("operator=undeclared")
                .hasStackTraceContaining("declared=[rules]");
    }

    private PipelineContext context(String name) {
        return new PipelineContext()
                .stateDirectory(dir.resolve(name))
                .defaultParallelism(2)
                .maxParallelism(16)
                .ringSize(64);
    }

    private static void reset() {
        FINAL.clear();
        RULES_PER_INSTANCE.clear();
        MAIN_LIST.clear();
        SIDE_LIST.clear();
        COMPLETED.set(0);
        RULES_DONE_AT.set(-1);
    }

    /** Per key of {@code v % keys} over {@code v < events}: its count, {@code rules + 1} applied, {@code rules} rules. */
    private static Map<Long, String> expectedFinal(int events, int keys, int rules) {
        Map<Long, Long> counts = new TreeMap<>();
        for (long v = 0; v < events; v++) {
            counts.merge(v % keys, 1L, Long::sum);
        }
        Map<Long, String> expected = new TreeMap<>();
        counts.forEach((key, n) -> expected.put(key, "count=" + n + " applied=" + (rules + 1) + " rules=" + rules));
        return expected;
    }

    private static long size(ReadOnlyBroadcastState<Long, Long> state) {
        long n = 0;
        for (Map.Entry<Long, Long> ignored : state.entries()) {
            n++;
        }
        return n;
    }

    /**
     * Counts records per key; keeps the invariant of the class comment; at the end of input (a timer at {@code
     * Long.MAX_VALUE - 1}, which only the final watermark fires) records each key's count, applied count and the rules
     * its instance holds.
     */
    static final class RuleCounter extends KeyedBroadcastProcessFunction<Long, Long, Long, String> {
        private LongValueState count;
        private LongValueState applied;
        private int subtask;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new LongValueStateDescriptor("count"));
            applied = context.getState(APPLIED);
            subtask = context.indexOfThisSubtask();
        }

        @Override
        public void processElement(Long value, ReadOnlyContext<Long> ctx, Collector<String> out) {
            count.add(1);
            if (!applied.isPresent()) {
                applied.set(1 + size(ctx.getBroadcastState(RULES)));
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
            }
        }

        @Override
        public void processBroadcastElement(Long rule, Context<Long> ctx, Collector<String> out) throws Exception {
            MapState<Long, Long> rules = ctx.getBroadcastState(RULES);
            assertThat(rules.contains(rule)).as("rule %s seen once", rule).isFalse();
            rules.put(rule, rule * 10);
            ctx.applyToKeyedState(APPLIED, (key, state) -> state.add(1));
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<Long> ctx, Collector<String> out) {
            long rules = size(ctx.getBroadcastState(RULES));
            FINAL.put(ctx.getCurrentKey(), "count=" + count.get() + " applied=" + applied.get() + " rules=" + rules);
            RULES_PER_INSTANCE.put(subtask, rules);
            out.collect(ctx.getCurrentKey() + ":" + applied.get());
        }
    }

    /** Passes numbers on; reports each rule, with the rule count after it, to a side output. */
    static final class RuleTagger extends BroadcastProcessFunction<Long, Long, String> {
        private int subtask;

        @Override
        public void open(RuntimeContext context) {
            subtask = context.indexOfThisSubtask();
        }

        @Override
        public void processElement(Long value, ReadOnlyContext ctx, Collector<String> out) {
            Long anyRule = ctx.getBroadcastState(RULES).get(0L);
            assertThat(anyRule == null || anyRule == 0L).isTrue();
            out.collect("n:" + value);
        }

        @Override
        public void processBroadcastElement(Long rule, Context ctx, Collector<String> out) {
            MapState<Long, Long> rules = ctx.getBroadcastState(RULES);
            rules.put(rule, rule * 10);
            long n = 0;
            for (Long ignored : rules.keys()) {
                n++;
            }
            ctx.output(RULES_SEEN, subtask + ":" + rule + ":" + n);
        }
    }

    /** Asks for a broadcast state the broadcast stream did not declare. */
    static final class UndeclaredReader extends BroadcastProcessFunction<Long, Long, String> {
        private static final MapStateDescriptor<Long, Long> OTHER =
                new MapStateDescriptor<>("other", LongSerializer.INSTANCE, LongSerializer.INSTANCE);

        @Override
        public void processElement(Long value, ReadOnlyContext ctx, Collector<String> out) {
            ctx.getBroadcastState(OTHER);
        }

        @Override
        public void processBroadcastElement(Long rule, Context ctx, Collector<String> out) {}
    }

    /**
     * Rules 0, 1, ... {@code count - 1}, one every {@code pace} calls (the calls in between emit nothing, so the rules
     * spread over the run). One instance.
     */
    static final class RuleSource extends OffsetSource<Long> {
        private final long count;
        private final int pace;
        private long calls;

        RuleSource(long count, int pace) {
            this.count = count;
            this.pace = pace;
        }

        @Override
        public boolean emitNext(SourceContext<Long> ctx) {
            if (next >= count) {
                return false;
            }
            if (++calls % pace == 0) {
                ctx.collect(next, 0);
                next++;
                if (next == count) {
                    RULES_DONE_AT.compareAndSet(-1, COMPLETED.get());
                }
            }
            return true;
        }
    }

    /**
     * Numbers 0 .. {@code count - 1}. When {@code failHalfway}, it stops at half of them until two checkpoints have
     * completed after the last rule was emitted (so the latest checkpoint holds every rule), then fails.
     */
    static final class GatedSource extends OffsetSource<Long> {
        private final long count;
        private final boolean failHalfway;

        GatedSource(long count, boolean failHalfway) {
            this.count = count;
            this.failHalfway = failHalfway;
        }

        @Override
        public boolean emitNext(SourceContext<Long> ctx) {
            if (next >= count) {
                return false;
            }
            if (failHalfway && next == count / 2) {
                long rulesDone = RULES_DONE_AT.get();
                if (rulesDone >= 0 && COMPLETED.get() >= rulesDone + 2) {
                    throw new IllegalStateException("injected");
                }
                return true;
            }
            ctx.collect(next, 0);
            next++;
            return true;
        }
    }
}

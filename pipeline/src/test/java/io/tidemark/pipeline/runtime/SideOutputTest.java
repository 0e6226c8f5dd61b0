package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.DataStream;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Side outputs: a keyed function splits its input between the main output and a side output (one sink chained, one
 * across a ring at another parallelism) through an injected failure, exactly-once, on every backend; a tumbling window
 * sends its late records to a late-data side output.
 */
class SideOutputTest {
    static final OutputTag<String> FIVES = new OutputTag<>("fives");
    static final OutputTag<Long> LATE = new OutputTag<>("late");
    static final Set<String> MAIN = ConcurrentHashMap.newKeySet();
    static final Set<String> SIDE = ConcurrentHashMap.newKeySet();
    static final Map<Long, Long> MAX_COUNT = new ConcurrentHashMap<>();
    static final Set<Long> LATE_SEEN = ConcurrentHashMap.newKeySet();
    static final AtomicLong FAIL = new AtomicLong();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "offheap", "chronicle"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void recordsSplitBetweenMainAndSideOutputAcrossAFailure(String backend) throws Exception {
        MAIN.clear();
        SIDE.clear();
        MAX_COUNT.clear();
        FAIL.set(15_000);
        int records = 30_000;
        Pipeline pipeline =
                new Pipeline(FailingRuns.context(dir.resolve(backend), backend, CheckpointingMode.EXACTLY_ONCE));
        DataStream<String> split = pipeline.source("events", () -> new TumblingWindowTest.EventSource(records), 2)
                .map("fail-once", FailingRuns.failOnce(FAIL))
                .keyBy((Long v) -> v % 7, LongSerializer.INSTANCE)
                .process("split", Splitter::new, 2);
        split.sink("main", () -> (value, ts) -> MAIN.add(value), 2);
        split.sideOutput(FIVES).sink("fives", () -> (value, ts) -> SIDE.add(value), 3);

        JobRunner.Result result =
                new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        assertThat(result.restarts()).isEqualTo(1);
        Map<Long, Long> perKey = new TreeMap<>();
        Set<String> main = new TreeSet<>();
        Set<String> side = new TreeSet<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            for (long n = 0; n < records / 2; n++) {
                long v = n * 2 + subtask;
                perKey.merge(v % 7, 1L, Long::sum);
                (v % 5 == 0 ? side : main).add(v % 5 == 0 ? "five:" + v : "main:" + v);
            }
        }
        assertThat(new TreeSet<>(MAIN)).isEqualTo(main); // nothing lost (a replay may repeat, sets fold repeats)
        assertThat(new TreeSet<>(SIDE)).isEqualTo(side);
        assertThat(new TreeMap<>(MAX_COUNT))
                .as("keyed state counted each record once")
                .isEqualTo(perKey);
    }

    @ParameterizedTest(name = "{0} sliding={1}")
    @org.junit.jupiter.params.provider.CsvSource({"heap, false", "offheap, false", "heap, true", "offheap, true"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void lateRecordsOfAWindowGoToItsLateDataOutput(String backend, boolean sliding) throws Exception {
        LATE_SEEN.clear();
        Pipeline pipeline = new Pipeline(new PipelineContext()
                .stateDirectory(dir.resolve("late-" + backend + sliding))
                .defaultParallelism(2)
                .maxParallelism(16)
                .backend(backend)
                .memoryBytes(16L << 20));
        var keyed = pipeline.source("events", LateSource::new, 1).keyBy((Long v) -> v % 3, LongSerializer.INSTANCE);
        DataStream<String> sums = sliding
                ? keyed.slidingWindow("sum", 100, 50, TumblingWindowTest.SumAggregate::new, 2, LATE)
                : keyed.tumblingWindow("sum", 100, TumblingWindowTest.SumAggregate::new, 2, LATE);
        sums.sink("sums", () -> (value, ts) -> {}, 2);
        sums.sideOutput(LATE).sink("late", () -> (value, ts) -> LATE_SEEN.add(value), 1);

        new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        Set<Long> expected = new TreeSet<>();
        for (long n = 0; n < LateSource.RECORDS; n++) {
            if (n % 10 == 9) {
                expected.add(-n);
            }
        }
        assertThat(new TreeSet<>(LATE_SEEN)).isEqualTo(expected);
    }

    /** Counts every record of its key; sends multiples of 5 to the side output, the rest to the main output. */
    static final class Splitter extends KeyedProcessFunction<Long, Long, String> {
        private LongValueState count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new LongValueStateDescriptor("count"));
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<String> out) {
            long c = count.add(1);
            MAX_COUNT.merge(ctx.getCurrentKey(), c, Math::max);
            if (value % 5 == 0) {
                ctx.output(FIVES, "five:" + value);
            } else {
                out.collect("main:" + value);
            }
        }
    }

    /**
     * Record n has timestamp 10 n and is followed by watermark 10 n; every tenth record (n % 10 == 9) is instead a late
     * one, value -n, with a timestamp 500 ms behind the last watermark.
     */
    static final class LateSource implements io.tidemark.pipeline.function.SourceFunction<Long> {
        static final long RECORDS = 2_000;
        private long next;
        private long watermark = Long.MIN_VALUE;

        @Override
        public void initializeState(io.tidemark.backend.OperatorStateStore store, boolean restored) {}

        @Override
        public void snapshotState(long checkpointId) {}

        @Override
        public boolean emitNext(io.tidemark.pipeline.function.SourceContext<Long> ctx) {
            if (next >= RECORDS) {
                return false;
            }
            if (next % 10 == 9) {
                ctx.collect(-next, watermark - 500);
            } else {
                ctx.collect(next, next * 10);
                watermark = next * 10;
                ctx.emitWatermark(watermark);
            }
            next++;
            return true;
        }
    }
}

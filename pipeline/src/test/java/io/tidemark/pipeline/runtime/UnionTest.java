package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.DataStream;
import io.tidemark.pipeline.Pipeline;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A union of two sources at different parallelisms feeds a keyed count through an injected failure: exactly-once keyed
 * state on every backend (each record counted once), nothing lost; barriers align across all the union's inputs.
 */
class UnionTest {
    static final Set<Long> SEEN = ConcurrentHashMap.newKeySet();
    static final Map<Long, Long> MAX_COUNT = new ConcurrentHashMap<>();
    static final AtomicLong FAIL = new AtomicLong();

    @TempDir
    Path dir;

    /**
     * Sources of both inputs share a worker: one held back by its aligning consumer must not keep the other from
     * running and delivering its barrier (with one worker, every chain shares it).
     */
    @ParameterizedTest(name = "{0} {1} workers={2}")
    @CsvSource({
        "heap, EXACTLY_ONCE, 2",
        "offheap, EXACTLY_ONCE, 2",
        "chronicle, EXACTLY_ONCE, 2",
        "heap, AT_LEAST_ONCE, 2",
        "offheap, EXACTLY_ONCE, 1"
    })
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aUnionOfTwoSourcesIsCountedOnceAcrossAFailure(String backend, CheckpointingMode mode, int workers)
            throws Exception {
        SEEN.clear();
        MAX_COUNT.clear();
        FAIL.set(12_000);
        int evens = 20_000;
        int negatives = 5_000;
        Pipeline pipeline = new Pipeline(FailingRuns.context(dir.resolve(backend + mode + workers), backend, mode)
                .workers(workers));
        DataStream<Long> a = pipeline.source("a", () -> new TumblingWindowTest.EventSource(evens), 2);
        DataStream<Long> b = pipeline.source("b", () -> new BackpressureCheckpointTest.NumberSource(negatives), 1)
                .map("negate", (Long v) -> -1 - v);
        a.union("both", 3, b)
                .map("fail-once", FailingRuns.failOnce(FAIL))
                .keyBy((Long v) -> Math.floorMod(v, 7L), LongSerializer.INSTANCE)
                .process("count", Counter::new, 2)
                .sink("out", () -> (value, ts) -> SEEN.add(value), 2);

        JobRunner.Result result =
                new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        assertThat(result.restarts()).isEqualTo(1);
        Set<Long> values = new TreeSet<>();
        Map<Long, Long> perKey = new TreeMap<>();
        for (long v = 0; v < evens; v++) {
            values.add(v);
        }
        for (long n = 0; n < negatives; n++) {
            values.add(-1 - n);
        }
        for (long v : values) {
            perKey.merge(Math.floorMod(v, 7L), 1L, Long::sum);
        }
        assertThat(new TreeSet<>(SEEN)).isEqualTo(values);
        if (mode == CheckpointingMode.EXACTLY_ONCE) {
            assertThat(new TreeMap<>(MAX_COUNT)).as("each record counted once").isEqualTo(perKey);
        } else {
            perKey.forEach((k, n) -> assertThat(MAX_COUNT.get(k)).as("key " + k).isGreaterThanOrEqualTo(n));
        }
    }

    static final class Counter extends KeyedProcessFunction<Long, Long, Long> {
        private LongValueState count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new LongValueStateDescriptor("count"));
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<Long> out) {
            MAX_COUNT.merge(ctx.getCurrentKey(), count.add(1), Math::max);
            out.collect(value);
        }
    }
}

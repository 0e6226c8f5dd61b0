package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.function.Collector;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.KeyedStream;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.function.ProcessWindowFunction;
import io.tidemark.pipeline.function.WindowProcessing;
import io.tidemark.pipeline.runtime.SessionWindowTest.BridgingSource;
import io.tidemark.pipeline.runtime.SessionWindowTest.Stats;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ProcessWindowFunction}s over tumbling and sliding windows through an injected failure on every backend,
 * exactly once (two-phase file sinks, each window once in the committed output, equal to a sequential computation):
 * alone over a tumbling window's elements, with per-window state (its firing count, 1 everywhere) and global state (the
 * key's window count, restored with the checkpoint); and after an incremental aggregate on sliding windows.
 */
class ProcessWindowFunctionTest {
    static final long SIZE = 100;
    static final long SLIDE = 50;
    static final AtomicLong FAIL = new AtomicLong();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "offheap", "chronicle"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void windowsAreEvaluatedExactlyOnceAcrossAFailure(String backend) throws Exception {
        int records = 12_000;
        FAIL.set(records / 2);
        Path out = dir.resolve("out-" + backend);
        Pipeline pipeline =
                new Pipeline(FailingRuns.context(dir.resolve(backend), backend, CheckpointingMode.EXACTLY_ONCE));
        KeyedStream<Long, Long> keyed = pipeline.source("events", () -> new BridgingSource(records), 2)
                .map("fail-once", FailingRuns.failOnce(FAIL))
                .keyBy((Long v) -> v % 7, LongSerializer.INSTANCE);
        SessionWindowTest.sink(
                keyed.tumblingWindow(
                        "tumbling-elements", SIZE, WindowProcessing.process(Numbered::new, LongSerializer.INSTANCE), 2),
                out.resolve("tumbling"));
        SessionWindowTest.sink(
                keyed.slidingWindow(
                        "sliding-aggregate",
                        SIZE,
                        SLIDE,
                        WindowProcessing.aggregate(
                                SessionWindowTest.Sum::new, LongSerializer.INSTANCE, SessionWindowTest.FormatSum::new),
                        3,
                        null),
                out.resolve("sliding"));

        JobRunner.Result result =
                new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        assertThat(result.restarts()).isEqualTo(1);
        Map<Long, Map<Long, Stats>> tumbling = new TreeMap<>();
        Map<String, Long> sliding = new TreeMap<>();
        for (long v = 0; v < records; v++) {
            long ts = SessionWindowTest.timestamp(v);
            long key = v % 7;
            tumbling.computeIfAbsent(key, k -> new TreeMap<>()).merge(ts - ts % SIZE, Stats.EMPTY.add(v), Stats::merge);
            for (long start = ts - ts % SLIDE; start > ts - SIZE; start -= SLIDE) {
                sliding.merge(key + "," + start + "," + (start + SIZE), v, Long::sum);
            }
        }
        List<String> expectedTumbling = new ArrayList<>();
        tumbling.forEach((key, windows) -> {
            int nth = 0;
            for (Map.Entry<Long, Stats> window : windows.entrySet()) {
                long start = window.getKey();
                expectedTumbling.add(window.getValue().format(key, start, start + SIZE) + ",firing 1,window " + ++nth);
            }
        });
        List<String> expectedSliding = new ArrayList<>();
        sliding.forEach((window, sum) -> expectedSliding.add(window + "," + sum));
        Collections.sort(expectedTumbling);
        Collections.sort(expectedSliding);
        assertThat(SessionWindowTest.committedLines(out.resolve("tumbling"))).isEqualTo(expectedTumbling);
        assertThat(SessionWindowTest.committedLines(out.resolve("sliding"))).isEqualTo(expectedSliding);
    }

    /**
     * The window's {@link Stats}, its firing count (per-window state, dropped by {@code clear}) and its rank among the
     * key's windows (global state): {@code key,start,end,count,sum,min,max,firing f,window n}.
     */
    static final class Numbered extends ProcessWindowFunction<Long, String, Long> {
        private LongValueState windows;

        @Override
        public void open(RuntimeContext context) {
            windows = context.getState(new LongValueStateDescriptor("windows"));
        }

        @Override
        public void process(Long key, Context context, Iterable<Long> elements, Collector<String> out) {
            Stats stats = Stats.EMPTY;
            for (long v : elements) {
                stats = stats.add(v);
            }
            long firing = context.windowState()
                    .getState(new LongValueStateDescriptor("firings"))
                    .add(1);
            out.collect(stats.format(key, context.windowStart(), context.windowEnd()) + ",firing " + firing + ",window "
                    + windows.add(1));
        }

        @Override
        public void clear(Context context) {
            context.windowState()
                    .getState(new LongValueStateDescriptor("firings"))
                    .clear();
        }
    }
}

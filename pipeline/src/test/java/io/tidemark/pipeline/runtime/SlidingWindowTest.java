package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.serialization.LongSerializer;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sliding event-time windows: every window's sum equals a sequential computation, through a failure, on every backend. */
class SlidingWindowTest {
    static final Map<String, Long> RESULTS = new ConcurrentHashMap<>();
    static final AtomicLong FAIL = new AtomicLong();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "offheap", "chronicle"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void slidingSumsEqualASequentialComputationAcrossAFailure(String backend) throws Exception {
        RESULTS.clear();
        FAIL.set(20_000);
        int records = 40_000;
        long size = 1000;
        long slide = 250;
        Pipeline pipeline =
                new Pipeline(FailingRuns.context(dir.resolve(backend), backend, CheckpointingMode.EXACTLY_ONCE));
        pipeline.source("events", () -> new TumblingWindowTest.EventSource(records), 2)
                .map("fail-once", FailingRuns.failOnce(FAIL))
                .keyBy((Long v) -> v % 7, LongSerializer.INSTANCE)
                .slidingWindow("sum", size, slide, TumblingWindowTest.SumAggregate::new, 3, null)
                .sink(
                        "collect",
                        () -> (value, ts) -> {
                            String[] kv = value.split("=");
                            RESULTS.put(kv[0], Long.parseLong(kv[1])); // a replayed window overwrites its own entry
                        },
                        1);

        JobRunner.Result result =
                new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        Map<String, Long> expected = new TreeMap<>();
        for (long v = 0; v < records; v++) {
            long ts = v / 10;
            for (long start = ts - Math.floorMod(ts, slide); start > ts - size; start -= slide) {
                expected.merge((v % 7) + "@" + start, v, Long::sum);
            }
        }
        assertThat(result.restarts()).isEqualTo(1);
        assertThat(new TreeMap<>(RESULTS)).isEqualTo(expected);
    }

    /**
     * Allowed lateness 100 ms on 100 ms windows: a record behind the watermark for a fired window that is still within
     * the lateness updates it and the window emits again; after the cleanup, a record for it goes to the late output.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "offheap"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWindowWithinItsAllowedLatenessFiresAgainThenClosesForGood(String backend) throws Exception {
        EMITTED.clear();
        LATE.clear();
        Pipeline pipeline = new Pipeline(new PipelineContext()
                .stateDirectory(dir.resolve("lateness-" + backend))
                .defaultParallelism(1)
                .backend(backend)
                .memoryBytes(16L << 20));
        // value@ts for records, W@t for watermarks
        String[] script = {"1@10", "W@10", "2@50", "W@150", "4@20", "W@300", "8@30", "16@310", "W@1000"};
        var windows = pipeline.source("script", () -> new ScriptSource(script), 1)
                .keyBy((Long v) -> 1L, LongSerializer.INSTANCE)
                .tumblingWindow("sum", 100, TumblingWindowTest.SumAggregate::new, 1, LATE_DATA, 100);
        windows.sink("out", () -> (value, ts) -> EMITTED.add(value), 1);
        windows.sideOutput(LATE_DATA).sink("late", () -> (value, ts) -> LATE.add(value), 1);

        new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        assertThat(EMITTED).containsExactly("1@0=3", "1@0=7", "1@300=16");
        assertThat(LATE).containsExactly(8L);
    }

    static final io.tidemark.function.OutputTag<Long> LATE_DATA = new io.tidemark.function.OutputTag<>("late");
    static final java.util.List<String> EMITTED = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    static final java.util.List<Long> LATE = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** Plays a script of records ({@code value@ts}) and watermarks ({@code W@t}), one entry per call. */
    static final class ScriptSource implements io.tidemark.pipeline.function.SourceFunction<Long> {
        private final String[] script;
        private int next;

        ScriptSource(String[] script) {
            this.script = script;
        }

        @Override
        public void initializeState(io.tidemark.backend.OperatorStateStore store, boolean restored) {}

        @Override
        public void snapshotState(long checkpointId) {}

        @Override
        public boolean emitNext(io.tidemark.pipeline.function.SourceContext<Long> ctx) {
            if (next >= script.length) {
                return false;
            }
            String[] entry = script[next++].split("@");
            long time = Long.parseLong(entry[1]);
            if (entry[0].equals("W")) {
                ctx.emitWatermark(time);
            } else {
                ctx.collect(Long.parseLong(entry[0]), time);
            }
            return true;
        }
    }

    @Test
    void aSlideLongerThanTheWindowIsRefused() {
        Pipeline pipeline = new Pipeline(new PipelineContext().stateDirectory(dir));
        var keyed = pipeline.source("events", () -> new TumblingWindowTest.EventSource(10), 1)
                .keyBy((Long v) -> v, LongSerializer.INSTANCE);
        assertThatThrownBy(() -> keyed.slidingWindow("w", 100, 200, TumblingWindowTest.SumAggregate::new, 1, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("slide=200");
    }
}

package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.OperatorStateStore;
import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.DataStream;
import io.tidemark.pipeline.KeyedStream;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.serialization.LongSerializer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Allowed lateness and late data through an injected failure, on every backend: tumbling, sliding and session windows
 * with an allowed lateness read one keyed stream with late records in it, each writing its results and its late
 * records to two-phase file sinks. The source is one instance and the watermark follows its records, so what is late,
 * what updates a fired window and what goes to the late output is decided by the input alone: the committed output
 * of a run with a failure must equal that of a run without one, line for line (a window that fired again after a
 * restore, or a late record sent twice, would add a line; a lost one would miss one).
 */
class LatenessAcrossFailureTest {
    static final OutputTag<Long> LATE = new OutputTag<>("late");
    static final long LATENESS = 100;
    static final AtomicLong FAIL = new AtomicLong();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "offheap", "chronicle"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void lateRecordsAndLateUpdatesAreCommittedOnceAcrossAFailure(String backend) throws Exception {
        int records = 16_000;
        Path expected = dir.resolve("expected");
        Path actual = dir.resolve("actual");
        assertThat(run(backend, expected, records, -1).restarts()).isZero();
        assertThat(run(backend, actual, records, records / 2).restarts()).isEqualTo(1);

        for (String window : List.of("tumbling", "sliding", "session")) {
            List<String> results = SessionWindowTest.committedLines(expected.resolve(window));
            List<String> late = SessionWindowTest.committedLines(expected.resolve(window + "-late"));
            assertThat(late).as(window + ": some records are late").isNotEmpty();
            assertThat(SessionWindowTest.committedLines(actual.resolve(window)))
                    .as(window + " results")
                    .isEqualTo(results);
            assertThat(SessionWindowTest.committedLines(actual.resolve(window + "-late")))
                    .as(window + " late records")
                    .isEqualTo(late);
            if (!window.equals("session")) {
                Map<String, Integer> firings = new HashMap<>();
                results.forEach(line -> firings.merge(line.substring(0, line.indexOf('=')), 1, Integer::sum));
                assertThat(firings.values())
                        .as(window + ": a late record updated a fired window")
                        .contains(2);
            }
        }
    }

    private JobRunner.Result run(String backend, Path out, int records, long failAt) throws Exception {
        FAIL.set(failAt);
        Pipeline pipeline = new Pipeline(FailingRuns.context(
                dir.resolve("state-" + out.getFileName() + "-" + backend), backend, CheckpointingMode.EXACTLY_ONCE));
        KeyedStream<Long, Long> keyed = pipeline.source("events", () -> new LateSource(records), 1)
                .map("fail-once", FailingRuns.failOnce(FAIL))
                .keyBy((Long v) -> v % 7, LongSerializer.INSTANCE);
        sinkBoth(
                keyed.tumblingWindow("tumbling", 100, TumblingWindowTest.SumAggregate::new, 2, LATE, LATENESS),
                out.resolve("tumbling"));
        sinkBoth(
                keyed.slidingWindow("sliding", 100, 50, TumblingWindowTest.SumAggregate::new, 2, LATE, LATENESS),
                out.resolve("sliding"));
        sinkBoth(
                keyed.sessionWindow("session", 20, SessionWindowTest.SumSessions::new, 2, LATE, LATENESS),
                out.resolve("session"));
        return new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());
    }

    private static void sinkBoth(DataStream<String> results, Path directory) {
        SessionWindowTest.sink(results, directory);
        SessionWindowTest.sink(
                results.sideOutput(LATE).map("late-" + directory.getFileName(), (Long v) -> Long.toString(v)),
                directory.resolveSibling(directory.getFileName() + "-late"));
    }

    /**
     * One instance; record v has timestamp v / 4 plus 100 ms after every 2,048 values (pauses that end sessions), except
     * every 53rd, 60 ms behind (mostly within the lateness: it updates a fired window), and every 97th, 400 ms behind
     * (beyond it: late data). The watermark is the largest timestamp so far, after every record.
     */
    static final class LateSource extends OffsetSource<Long> {
        private final long total;
        private long maxTimestamp = Long.MIN_VALUE;

        LateSource(long total) {
            this.total = total;
        }

        @Override
        public void initializeState(OperatorStateStore store, boolean restored) {
            super.initializeState(store, restored);
            for (long v = 0; v < next; v++) {
                maxTimestamp = Math.max(maxTimestamp, timestamp(v));
            }
        }

        @Override
        public boolean emitNext(SourceContext<Long> ctx) {
            if (next >= total) {
                return false;
            }
            long v = next++;
            long ts = timestamp(v);
            ctx.collect(v, ts);
            maxTimestamp = Math.max(maxTimestamp, ts);
            ctx.emitWatermark(maxTimestamp);
            return true;
        }

        static long timestamp(long v) {
            long ts = v / 4 + (v / 2048) * 100;
            if (v > 0 && v % 97 == 0) {
                return ts - 400;
            }
            return v > 0 && v % 53 == 0 ? ts - 60 : ts;
        }
    }
}

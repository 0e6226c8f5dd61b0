package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.function.Collector;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.DataStream;
import io.tidemark.pipeline.KeyedStream;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.connectors.TwoPhaseFileSink;
import io.tidemark.pipeline.function.MergingWindowAggregate;
import io.tidemark.pipeline.function.ProcessWindowFunction;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.WindowProcessing;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.AggregateFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session windows through an injected failure on every backend, exactly once: the committed output of a two-phase file
 * sink holds each session once, equal to sessions computed sequentially from all the records. Three operators read one
 * keyed stream: an incremental {@link MergingWindowAggregate}, a {@link ProcessWindowFunction} alone (the backend
 * concatenates the element lists of merging sessions) and one after an {@link AggregateFunction} (the backend merges
 * the accumulators). Every source instance emits records out of order so that records bridge sessions.
 */
class SessionWindowTest {
    static final long GAP = 20;
    static final AtomicLong FAIL = new AtomicLong();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "offheap", "chronicle"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sessionsAreEmittedExactlyOnceAcrossAFailure(String backend) throws Exception {
        int records = 12_000;
        FAIL.set(records / 2);
        Path out = dir.resolve("out-" + backend);
        Pipeline pipeline =
                new Pipeline(FailingRuns.context(dir.resolve(backend), backend, CheckpointingMode.EXACTLY_ONCE));
        KeyedStream<Long, Long> keyed = pipeline.source("events", () -> new BridgingSource(records), 2)
                .map("fail-once", FailingRuns.failOnce(FAIL))
                .keyBy((Long v) -> v % 7, LongSerializer.INSTANCE);
        sink(keyed.sessionWindow("aggregate", GAP, Digest::new, 2), out.resolve("aggregate"));
        sink(
                keyed.sessionWindow(
                        "elements", GAP, WindowProcessing.process(DigestElements::new, LongSerializer.INSTANCE), 2),
                out.resolve("elements"));
        sink(
                keyed.sessionWindow(
                        "aggregate-then-process",
                        GAP,
                        WindowProcessing.aggregate(Sum::new, LongSerializer.INSTANCE, FormatSum::new),
                        2),
                out.resolve("aggregate-then-process"));

        JobRunner.Result result =
                new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        assertThat(result.restarts()).isEqualTo(1);
        List<String> digests = new ArrayList<>();
        List<String> sums = new ArrayList<>();
        sessions(records).forEach((session, values) -> {
            long sum = values.stream().mapToLong(Long::longValue).sum();
            String window = session + "," + (timestamp(values.get(values.size() - 1)) + GAP);
            digests.add(window + "," + values.size() + "," + sum + "," + Collections.min(values) + ","
                    + Collections.max(values));
            sums.add(window + "," + sum);
        });
        Collections.sort(digests);
        Collections.sort(sums);
        assertThat(committedLines(out.resolve("aggregate"))).isEqualTo(digests);
        assertThat(committedLines(out.resolve("elements"))).isEqualTo(digests);
        assertThat(committedLines(out.resolve("aggregate-then-process"))).isEqualTo(sums);
    }

    /**
     * Gap 50, allowed lateness 100: a record behind the watermark whose own window is within the lateness joins its
     * fired session, which emits again at once; after the session's state is dropped a record for it goes to the late
     * output; records of an unrelated later session are unaffected.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heap", "offheap", "chronicle"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSessionWithinItsAllowedLatenessFiresAgainThenLateRecordsGoToTheSideOutput(String backend) throws Exception {
        SlidingWindowTest.EMITTED.clear();
        SlidingWindowTest.LATE.clear();
        Pipeline pipeline = new Pipeline(new PipelineContext()
                .stateDirectory(dir.resolve("lateness-" + backend))
                .defaultParallelism(1)
                .backend(backend)
                .memoryBytes(16L << 20));
        // value@ts for records, W@t for watermarks
        String[] script = {"1@10", "W@10", "2@40", "W@150", "4@20", "W@300", "8@30", "16@310", "W@1000"};
        DataStream<String> sessions = pipeline.source("script", () -> new SlidingWindowTest.ScriptSource(script), 1)
                .keyBy((Long v) -> 1L, LongSerializer.INSTANCE)
                .sessionWindow("sum", 50, SumSessions::new, 1, SlidingWindowTest.LATE_DATA, 100);
        sessions.sink("out", () -> (value, ts) -> SlidingWindowTest.EMITTED.add(value), 1);
        sessions.sideOutput(SlidingWindowTest.LATE_DATA)
                .sink("late", () -> (value, ts) -> SlidingWindowTest.LATE.add(value), 1);

        new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());

        assertThat(SlidingWindowTest.EMITTED).containsExactly("1@[10,90)=3", "1@[10,90)=7", "1@[310,360)=16");
        assertThat(SlidingWindowTest.LATE).containsExactly(8L);
    }

    /** Sums a session's values: {@code key@[start,end)=sum}. */
    static final class SumSessions implements MergingWindowAggregate<Long, Long, Long, String> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long value, Long accumulator) {
            return accumulator + value;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }

        @Override
        public String result(Long key, long windowStart, long windowEnd, Long accumulator) {
            return key + "@[" + windowStart + "," + windowEnd + ")=" + accumulator;
        }

        @Override
        public StateSerializer<Long> accumulatorSerializer() {
            return LongSerializer.INSTANCE;
        }
    }

    @Test
    void aGapBelowOneIsRefused() {
        Pipeline pipeline = new Pipeline(new PipelineContext().stateDirectory(dir));
        KeyedStream<Long, Long> keyed = pipeline.source("events", () -> new BridgingSource(10), 1)
                .keyBy((Long v) -> v, LongSerializer.INSTANCE);
        assertThatThrownBy(() -> keyed.sessionWindow("w", 0, Digest::new, 1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("gap=0");
    }

    /** Sinks {@code stream} exactly once into {@code directory}, with an operator named after it. */
    static void sink(DataStream<String> stream, Path directory) {
        String name = "sink-" + directory.getFileName();
        stream.sink(name, () -> new TwoPhaseFileSink<String>(directory, Function.identity()), 1);
    }

    /** The committed lines of a {@link TwoPhaseFileSink}'s directory, sorted. */
    static List<String> committedLines(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, "part-*.csv")) {
            for (Path part : parts) {
                lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
            }
        }
        Collections.sort(lines);
        return lines;
    }

    /** Record value {@code v}'s timestamp: {@code v}, plus 100 ms after every 1,024 values (a pause ends sessions). */
    static long timestamp(long v) {
        return v + (v / 1024) * 100;
    }

    /**
     * Every session of {@link BridgingSource}'s records, sequentially: per key, records in timestamp order, a new session
     * wherever two records are more than {@link #GAP} apart. Keyed by {@code key,start}; values in timestamp order.
     */
    static Map<String, List<Long>> sessions(int records) {
        Map<Long, List<Long>> perKey = new TreeMap<>();
        for (long v = 0; v < records; v++) {
            perKey.computeIfAbsent(v % 7, k -> new ArrayList<>()).add(v);
        }
        Map<String, List<Long>> sessions = new TreeMap<>();
        perKey.forEach((key, values) -> {
            List<Long> session = null;
            long last = 0;
            for (long v : values) {
                if (session == null || timestamp(v) > last + GAP) {
                    session = new ArrayList<>();
                    sessions.put(key + "," + timestamp(v), session);
                }
                session.add(v);
                last = timestamp(v);
            }
        });
        return sessions;
    }

    /**
     * Emits v = 2n + subtask with timestamp {@link #timestamp}(v), out of order: in each group of 16 records the even
     * positions come first, so a key's records at v and v + 28 (further apart than the gap) arrive before the one at v
     * + 14 that bridges them. The watermark trails the largest timestamp by the disorder (31 ms), so no record is late.
     */
    static final class BridgingSource extends OffsetSource<Long> {
        private final long perInstance;
        private int subtask;
        private long maxTimestamp = Long.MIN_VALUE;

        BridgingSource(long total) {
            this.perInstance = total / 2;
        }

        @Override
        public void open(RuntimeContext context) {
            subtask = context.indexOfThisSubtask();
        }

        @Override
        public boolean emitNext(SourceContext<Long> ctx) {
            if (next >= perInstance) {
                return false;
            }
            long position = next % 16;
            long n = next - position + (position < 8 ? 2 * position : 2 * (position - 8) + 1);
            long v = 2 * n + subtask;
            if (v < 2 * perInstance) {
                long ts = timestamp(v);
                ctx.collect(v, ts);
                maxTimestamp = Math.max(maxTimestamp, ts);
                ctx.emitWatermark(maxTimestamp - 31);
            }
            next++;
            return true;
        }
    }

    /** Count, sum, min and max of some values. */
    public record Stats(long count, long sum, long min, long max) {
        static final Stats EMPTY = new Stats(0, 0, Long.MAX_VALUE, Long.MIN_VALUE);

        Stats add(long value) {
            return new Stats(count + 1, sum + value, Math.min(min, value), Math.max(max, value));
        }

        Stats merge(Stats other) {
            return new Stats(count + other.count, sum + other.sum, Math.min(min, other.min), Math.max(max, other.max));
        }

        String format(long key, long start, long end) {
            return key + "," + start + "," + end + "," + count + "," + sum + "," + min + "," + max;
        }
    }

    /** A session's {@link Stats}: {@code key,start,end,count,sum,min,max}. */
    static final class Digest implements MergingWindowAggregate<Long, Long, Stats, String> {
        @Override
        public Stats createAccumulator() {
            return Stats.EMPTY;
        }

        @Override
        public Stats add(Long value, Stats accumulator) {
            return accumulator.add(value);
        }

        @Override
        public Stats merge(Stats a, Stats b) {
            return a.merge(b);
        }

        @Override
        public String result(Long key, long windowStart, long windowEnd, Stats accumulator) {
            return accumulator.format(key, windowStart, windowEnd);
        }

        @Override
        public StateSerializer<Stats> accumulatorSerializer() {
            return new RecordSerializer<>(Stats.class);
        }
    }

    /** The digest of a session's elements, computed over all of them. */
    static final class DigestElements extends ProcessWindowFunction<Long, String, Long> {
        @Override
        public void process(Long key, Context context, Iterable<Long> elements, Collector<String> out) {
            Stats stats = Stats.EMPTY;
            for (long v : elements) {
                stats = stats.add(v);
            }
            out.collect(stats.format(key, context.windowStart(), context.windowEnd()));
        }
    }

    static final class Sum implements AggregateFunction<Long, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long value, Long accumulator) {
            return accumulator + value;
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /** {@code key,start,end,sum}. */
    static final class FormatSum extends ProcessWindowFunction<Long, String, Long> {
        @Override
        public void process(Long key, Context context, Iterable<Long> elements, Collector<String> out) {
            for (long sum : elements) {
                out.collect(key + "," + context.windowStart() + "," + context.windowEnd() + "," + sum);
            }
        }
    }
}

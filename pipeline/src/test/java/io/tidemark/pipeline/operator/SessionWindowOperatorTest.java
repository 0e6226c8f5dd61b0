package io.tidemark.pipeline.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.pipeline.function.MergingWindowAggregate;
import io.tidemark.pipeline.function.ProcessWindowFunction;
import io.tidemark.pipeline.function.WindowProcessing;
import io.tidemark.pipeline.operator.WindowOperatorFixture.Event;
import io.tidemark.serialization.ListSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.AggregateFunction;
import io.tidemark.state.chronicle.ChronicleStateBackend;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SessionWindowOperator} on one instance: merging (a record bridging two sessions, out-of-order records, a late
 * record within the allowed lateness merging into a session that has fired), timers of merged sessions, late records,
 * the process window function variants, checkpoints and rescaling, on every backend.
 */
class SessionWindowOperatorTest {
    static final OutputTag<Event> LATE = new OutputTag<>(WindowOperatorFixture.LATE);

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
    private int instances;

    private WindowOperatorFixture fixture(String backend, SessionWindowOperator<Long, Event, ?> operator)
            throws Exception {
        return fixture(backend, KeyGroupRange.all(WindowOperatorFixture.MAX_PARALLELISM), null, operator);
    }

    private WindowOperatorFixture fixture(
            String backend,
            KeyGroupRange range,
            List<KeyedStateHandle> restored,
            SessionWindowOperator<Long, Event, ?> operator)
            throws Exception {
        return new WindowOperatorFixture(
                WindowOperatorFixture.backend(backend),
                directory.resolve("instance-" + instances++),
                range,
                storage,
                restored,
                operator);
    }

    private static SessionWindowOperator<Long, Event, String> sums(long gap, long lateness) {
        return new SessionWindowOperator<>(gap, new Values(), LATE, lateness);
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void aRecordBridgingTwoSessionsMergesThemAndTheirTimers(String backend) throws Exception {
        SessionWindowOperator<Long, Event, String> sessions = sums(60, 0);
        try (WindowOperatorFixture f = fixture(backend, sessions)) {
            f.record(1, 1, 0).record(1, 2, 100).record(2, 7, 50); // key 1: [0, 60) and [100, 160); key 2: [50, 110)
            assertThat(f.operator.timerCount()).isEqualTo(3);
            f.record(1, 3, 50); // [50, 110) touches both of key 1's sessions: one session [0, 160)
            assertThat(sessions.merges()).isEqualTo(1);
            assertThat(f.operator.timerCount())
                    .as("the timer at 59 was deleted")
                    .isEqualTo(2);
            f.watermark(120);
            assertThat(f.mainValues()).containsExactly("2[50,110)=[7]");
            f.watermark(200);
            assertThat(f.mainValues()).containsExactly("2[50,110)=[7]", "1[0,160)=[1, 2, 3]");
            assertThat(f.main.get(1).timestamp())
                    .as("emitted at the session's last millisecond")
                    .isEqualTo(159);
            assertThat(f.operator.timerCount()).isZero();
            f.keyed.forEachKey(SessionWindowOperator.SESSIONS, key -> {
                throw new AssertionError("a fired session without lateness is dropped: key=" + key);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void outOfOrderRecordsFormTheSessionsOfTheirTimestamps(String backend) throws Exception {
        try (WindowOperatorFixture f = fixture(backend, sums(40, 0))) {
            // 50's window [50, 90) touches [10, 50): records 40 apart share a session; 100 is 50 after 50: its own
            f.record(1, 100, 100)
                    .record(1, 10, 10)
                    .record(1, 200, 200)
                    .record(1, 50, 50)
                    .record(1, 30, 30);
            f.watermark(Long.MAX_VALUE);
            assertThat(f.mainValues()).containsExactly("1[10,90)=[10, 30, 50]", "1[100,140)=[100]", "1[200,240)=[200]");
        }
    }

    /** A record 10 ms after a session's last one extends it: its state stays where it is, only its timer moves. */
    @Test
    void aRecordExtendingASessionMovesItsTimer() throws Exception {
        SessionWindowOperator<Long, Event, String> sessions = sums(30, 0);
        try (WindowOperatorFixture f = fixture(HeapStateBackend.NAME, sessions)) {
            for (long ts = 0; ts <= 100; ts += 10) {
                f.record(4, ts, ts);
            }
            assertThat(sessions.merges()).as("no two sessions were bridged").isZero();
            assertThat(f.operator.timerCount()).isEqualTo(1);
            f.watermark(129);
            assertThat(f.mainValues()).isEmpty();
            f.watermark(130);
            assertThat(f.mainValues()).containsExactly("4[0,130)=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void aLateRecordWithinTheLatenessMergesIntoAFiredSessionWhichFiresAgain(String backend) throws Exception {
        SessionWindowOperator<Long, Event, String> sessions = sums(10, 100);
        try (WindowOperatorFixture f = fixture(backend, sessions)) {
            f.record(1, 1, 0).watermark(20);
            assertThat(f.mainValues()).containsExactly("1[0,10)=[1]");
            f.record(1, 2, 5); // behind the watermark, within the lateness: joins the fired session, emitted at once
            assertThat(f.mainValues()).containsExactly("1[0,10)=[1]", "1[0,15)=[1, 2]");
            assertThat(f.main.get(1).timestamp())
                    .as("an update carries the record's timestamp")
                    .isEqualTo(5);
            f.record(1, 4, 22); // after the watermark: a new session [22, 32)
            f.record(1, 8, 14); // bridges the fired [0, 15) and the open [22, 32): [0, 32) fires when its time comes
            assertThat(sessions.merges()).isEqualTo(1);
            assertThat(f.mainValues()).hasSize(2);
            f.watermark(40);
            assertThat(f.mainValues()).containsExactly("1[0,10)=[1]", "1[0,15)=[1, 2]", "1[0,32)=[1, 2, 4, 8]");
            f.watermark(131); // [0, 32) keeps its state until 31 + 100
            f.record(1, 16, 30); // its window [30, 40) ends 39 + 100 >= 131: still joins, fires again
            assertThat(f.mainValues()).last().isEqualTo("1[0,40)=[1, 2, 4, 8, 16]");
            f.watermark(140); // 39 + 100 passed: dropped
            f.record(1, 32, 30);
            assertThat(f.lateValues()).containsExactly(new Event(1, 32));
            assertThat(sessions.droppedLate()).isEqualTo(1);
            assertThat(f.mainValues()).hasSize(4);
            assertThat(f.operator.timerCount()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void withoutLatenessARecordBehindItsFiredSessionIsLateAndOneAtItsEndStartsAnother(String backend) throws Exception {
        try (WindowOperatorFixture f = fixture(backend, sums(10, 0))) {
            f.record(1, 1, 0).watermark(10); // [0, 10) fires and is dropped
            f.record(1, 2, 0); // its window [0, 10) ended: late
            f.record(1, 4, 10); // touches the dropped session's end: a new session
            f.watermark(100);
            assertThat(f.mainValues()).containsExactly("1[0,10)=[1]", "1[10,20)=[4]");
            assertThat(f.lateValues()).containsExactly(new Event(1, 2));
        }
    }

    /** A timer time that is one session's end and another's cleanup time: both happen, neither timer is lost. */
    @Test
    void oneTimerTimeCanFireOneSessionAndDropAnother() throws Exception {
        try (WindowOperatorFixture f = fixture(HeapStateBackend.NAME, sums(10, 50))) {
            f.record(1, 1, 0); // [0, 10): fires at 9, dropped at 59
            f.record(1, 2, 50); // [50, 60): fires at 59
            f.record(1, 4, 20); // [20, 30): fires at 29, dropped at 79
            f.record(1, 8, 25); // extends it to [20, 35): its timers move to 34 and 84
            f.watermark(60);
            assertThat(f.mainValues()).containsExactly("1[0,10)=[1]", "1[20,35)=[4, 8]", "1[50,60)=[2]");
            f.record(1, 16, 0); // its window [0, 10) ended 9 + 50 < 60 ago: late
            f.record(1, 32, 58); // [50, 60) lives until 109: joins it, and the session now ends after the watermark
            assertThat(f.lateValues()).containsExactly(new Event(1, 16));
            assertThat(f.mainValues()).hasSize(3);
            f.watermark(Long.MAX_VALUE);
            assertThat(f.mainValues()).hasSize(4).last().isEqualTo("1[50,68)=[2, 32]");
            assertThat(f.operator.timerCount()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void sessionsAreKeyedStateThroughACheckpointAndARescale(String backend) throws Exception {
        int keys = 40;
        KeyedStateHandle handle;
        List<String> expected = new ArrayList<>();
        try (WindowOperatorFixture f = fixture(backend, sums(20, 0))) {
            for (long key = 0; key < keys; key++) {
                f.record(key, key, 0).record(key, key + 100, 35); // two sessions per key, bridged after the restore
            }
            handle = f.snapshot(1, SnapshotKind.values()[instances % 3], storage);
            for (long key = 0; key < keys; key++) {
                expected.add(key + "[0,55)=" + new TreeSet<>(List.of(key, key + 100, key + 1000)));
            }
        }
        List<String> emitted = new ArrayList<>();
        for (int index = 0; index < 2; index++) {
            KeyGroupRange range = KeyGroupAssignment.computeKeyGroupRangeForOperatorIndex(
                    WindowOperatorFixture.MAX_PARALLELISM, 2, index);
            try (WindowOperatorFixture f = fixture(backend, range, List.of(handle), sums(20, 0))) {
                for (long key = 0; key < keys; key++) {
                    if (range.contains(
                            KeyGroupAssignment.assignToKeyGroup(key, WindowOperatorFixture.MAX_PARALLELISM))) {
                        f.record(key, key + 1000, 18); // [18, 38) bridges [0, 20) and [35, 55)
                    }
                }
                f.watermark(Long.MAX_VALUE);
                f.mainValues().forEach(v -> emitted.add((String) v));
            }
        }
        assertThat(new TreeSet<>(emitted)).isEqualTo(new TreeSet<>(expected));
        assertThat(emitted).hasSize(keys);
    }

    /** Random records and watermarks against a model that recomputes each key's sessions from all its records. */
    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME})
    void randomRecordsGiveTheSessionsOfAModel(String backend) throws Exception {
        long seed = System.nanoTime();
        System.out.println("randomRecordsGiveTheSessionsOfAModel seed=" + seed);
        Random random = new Random(seed);
        long gap = 10;
        TreeMap<Long, List<Long>> timestamps = new TreeMap<>();
        try (WindowOperatorFixture f = fixture(backend, sums(gap, 0))) {
            long watermark = 0;
            for (int i = 0; i < 2_000; i++) {
                long key = random.nextInt(5);
                long ts = watermark + 1 + random.nextInt(60); // never late
                f.record(key, ts, ts);
                timestamps.computeIfAbsent(key, k -> new ArrayList<>()).add(ts);
                if (random.nextInt(10) == 0) {
                    watermark += random.nextInt(20);
                    f.watermark(watermark);
                }
            }
            f.watermark(Long.MAX_VALUE);
            List<String> expected = new ArrayList<>();
            timestamps.forEach((key, all) -> {
                List<Long> sorted = new ArrayList<>(all);
                sorted.sort(null);
                List<Long> session = new ArrayList<>();
                for (long ts : sorted) {
                    if (!session.isEmpty() && ts > session.get(session.size() - 1) + gap) {
                        expected.add(
                                Values.format(key, session.get(0), session.get(session.size() - 1) + gap, session));
                        session = new ArrayList<>();
                    }
                    session.add(ts);
                }
                expected.add(Values.format(key, session.get(0), session.get(session.size() - 1) + gap, session));
            });
            assertThat(f.mainValues().stream().map(String.class::cast).sorted())
                    .containsExactlyElementsOf(expected.stream().sorted().toList());
            assertThat(f.operator.timerCount()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void aProcessWindowFunctionAloneGetsTheMergedSessionsElements(String backend) throws Exception {
        SessionWindowOperator<Long, Event, String> sessions = new SessionWindowOperator<>(
                60, WindowProcessing.process(Describe::new, new RecordSerializer<>(Event.class)), LATE, 0);
        try (WindowOperatorFixture f = fixture(backend, sessions)) {
            f.record(1, 1, 0).record(1, 2, 10).record(1, 3, 100).record(1, 4, 50);
            f.watermark(Long.MAX_VALUE);
            // the first session's elements, then the bridged one's, then the bridging record
            assertThat(f.mainValues()).containsExactly("1[0,160)@" + Long.MAX_VALUE + ":[1, 2, 3, 4]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void aProcessWindowFunctionAfterAnAggregateGetsTheMergedAccumulatorsResult(String backend) throws Exception {
        SessionWindowOperator<Long, Event, String> sessions = new SessionWindowOperator<>(
                60, WindowProcessing.aggregate(Sum::new, LongSerializer.INSTANCE, DescribeSum::new), LATE, 0);
        try (WindowOperatorFixture f = fixture(backend, sessions)) {
            f.record(1, 1, 0).record(1, 2, 100).record(1, 4, 50).record(2, 8, 0);
            f.watermark(Long.MAX_VALUE);
            assertThat(f.mainValues()).containsExactlyInAnyOrder("1[0,160)=7", "2[0,60)=8");
            assertThat(Sum.merges).isPositive();
        }
    }

    @Test
    void sessionsOfferNoPerWindowState() throws Exception {
        SessionWindowOperator<Long, Event, String> sessions = new SessionWindowOperator<>(
                10,
                WindowProcessing.<Long, Event, String>process(
                        () -> new ProcessWindowFunction<Event, String, Long>() {
                            @Override
                            public void process(
                                    Long key, Context context, Iterable<Event> elements, Collector<String> out) {
                                context.windowState();
                            }
                        },
                        new RecordSerializer<>(Event.class)),
                null,
                0);
        try (WindowOperatorFixture f = fixture(HeapStateBackend.NAME, sessions)) {
            f.record(1, 1, 0);
            assertThatThrownBy(() -> f.watermark(100))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("per-window state");
        }
    }

    @Test
    void aGapBelowOneOrANegativeLatenessIsRefused() {
        assertThatThrownBy(() -> sums(0, 0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("gap=0");
        assertThatThrownBy(() -> sums(10, -1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("allowedLateness=-1");
    }

    /** Collects a session's values (a list accumulator, merged by concatenation); emits them sorted. */
    static final class Values implements MergingWindowAggregate<Long, Event, List<Long>, String> {
        @Override
        public List<Long> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public List<Long> add(Event value, List<Long> accumulator) {
            accumulator.add(value.value());
            return accumulator;
        }

        @Override
        public List<Long> merge(List<Long> a, List<Long> b) {
            a.addAll(b);
            return a;
        }

        @Override
        public String result(Long key, long windowStart, long windowEnd, List<Long> accumulator) {
            return format(key, windowStart, windowEnd, accumulator);
        }

        static String format(long key, long start, long end, List<Long> values) {
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            return key + "[" + start + "," + end + ")=" + sorted;
        }

        @Override
        public StateSerializer<List<Long>> accumulatorSerializer() {
            return new ListSerializer<>(LongSerializer.INSTANCE);
        }
    }

    /** Lists the window's elements in the order it gets them, with the watermark at the firing. */
    static final class Describe extends ProcessWindowFunction<Event, String, Long> {
        @Override
        public void process(Long key, Context context, Iterable<Event> elements, Collector<String> out) {
            List<Long> values = new ArrayList<>();
            elements.forEach(e -> values.add(e.value()));
            out.collect(key + "[" + context.windowStart() + "," + context.windowEnd() + ")@"
                    + context.currentWatermark() + ":" + values);
        }
    }

    static final class Sum implements AggregateFunction<Event, Long, Long> {
        static volatile int merges;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Event value, Long accumulator) {
            return accumulator + value.value();
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            merges++;
            return a + b;
        }
    }

    static final class DescribeSum extends ProcessWindowFunction<Long, String, Long> {
        @Override
        public void process(Long key, Context context, Iterable<Long> elements, Collector<String> out) {
            for (long sum : elements) {
                out.collect(key + "[" + context.windowStart() + "," + context.windowEnd() + ")=" + sum);
            }
        }
    }
}

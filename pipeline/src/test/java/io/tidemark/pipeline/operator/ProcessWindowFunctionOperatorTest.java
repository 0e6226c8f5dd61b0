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
import io.tidemark.function.RuntimeContext;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.pipeline.function.ProcessWindowFunction;
import io.tidemark.pipeline.function.WindowAggregate;
import io.tidemark.pipeline.function.WindowProcessing;
import io.tidemark.pipeline.operator.WindowOperatorFixture.Event;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.chronicle.ChronicleStateBackend;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ProcessWindowFunction} over tumbling and sliding windows ({@link EventTimeWindowOperator}) on one instance:
 * the elements or the aggregate's result, the context (bounds, watermark, side output), per-window and global state,
 * {@code clear} at the end of the allowed lateness, checkpoints; and the state the {@link WindowAggregate} variant keeps.
 */
class ProcessWindowFunctionOperatorTest {
    static final OutputTag<Event> LATE = new OutputTag<>(WindowOperatorFixture.LATE);

    @TempDir
    Path directory;

    private final InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
    private int instances;

    private WindowOperatorFixture fixture(
            String backend, List<KeyedStateHandle> restored, EventTimeWindowOperator<Long, Event, ?> operator)
            throws Exception {
        return new WindowOperatorFixture(
                WindowOperatorFixture.backend(backend),
                directory.resolve("instance-" + instances++),
                KeyGroupRange.all(WindowOperatorFixture.MAX_PARALLELISM),
                storage,
                restored,
                operator);
    }

    private static RecordSerializer<Event> events() {
        return new RecordSerializer<>(Event.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void aloneItGetsEveryElementOfTheWindowThroughACheckpoint(String backend) throws Exception {
        KeyedStateHandle handle;
        try (WindowOperatorFixture f = fixture(
                backend,
                null,
                new EventTimeWindowOperator<>(100, 100, WindowProcessing.process(Describe::new, events()), null, 0))) {
            f.record(1, 3, 10).record(1, 1, 50).record(2, 5, 20).record(1, 4, 120);
            handle = f.snapshot(1, SnapshotKind.INCREMENTAL, storage);
        }
        try (WindowOperatorFixture f = fixture(
                backend,
                List.of(handle),
                new EventTimeWindowOperator<>(100, 100, WindowProcessing.process(Describe::new, events()), null, 0))) {
            f.record(1, 2, 99).watermark(150);
            assertThat(f.mainValues()).containsExactlyInAnyOrder("1[0,100)@150:[3, 1, 2]", "2[0,100)@150:[5]");
            assertThat(f.main.get(0).timestamp())
                    .as("emitted at the window's last millisecond")
                    .isEqualTo(99);
            f.watermark(Long.MAX_VALUE);
            assertThat(f.mainValues()).hasSize(3).last().isEqualTo("1[100,200)@" + Long.MAX_VALUE + ":[4]");
            f.keyed.forEachKey(WindowContents.ELEMENTS, key -> {
                throw new AssertionError("a fired window's elements are dropped: key=" + key);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void afterAnAggregateItGetsTheResultOfEachSlidingWindow(String backend) throws Exception {
        try (WindowOperatorFixture f = fixture(
                backend,
                null,
                new EventTimeWindowOperator<>(
                        100,
                        50,
                        WindowProcessing.aggregate(
                                SessionWindowOperatorTest.Sum::new,
                                LongSerializer.INSTANCE,
                                SessionWindowOperatorTest.DescribeSum::new),
                        null,
                        0))) {
            f.record(1, 1, 10).record(1, 2, 60).record(1, 4, 120).watermark(Long.MAX_VALUE);
            assertThat(f.mainValues()).containsExactly("1[-50,50)=1", "1[0,100)=3", "1[50,150)=6", "1[100,200)=4");
            assertThat(f.keyed.stateNames()).contains(WindowContents.AGGREGATE);
        }
    }

    /**
     * Allowed lateness 100 on 100 ms windows: the late record makes the window fire again (its per-window count says
     * so), {@code clear} runs once per window when its lateness is over and leaves no per-window state; the global
     * state counts across the key's windows.
     */
    @ParameterizedTest
    @ValueSource(strings = {HeapStateBackend.NAME, OffHeapStateBackend.NAME, ChronicleStateBackend.NAME})
    void perWindowAndGlobalStateAndClearAtTheEndOfTheLateness(String backend) throws Exception {
        try (WindowOperatorFixture f = fixture(
                backend,
                null,
                new EventTimeWindowOperator<>(
                        100, 100, WindowProcessing.process(Counting::new, events()), LATE, 100))) {
            f.record(1, 1, 10).record(1, 2, 20).record(1, 4, 110).watermark(100);
            assertThat(f.mainValues()).containsExactly("1[0,100) firing 1: 2 elements, 2 seen");
            f.record(1, 8, 30); // within the lateness: fires again at once
            assertThat(f.mainValues()).last().isEqualTo("1[0,100) firing 2: 3 elements, 5 seen");
            f.watermark(200);
            assertThat(f.mainValues()).last().isEqualTo("1[100,200) firing 1: 1 elements, 6 seen");
            f.watermark(250); // [0, 100) dropped at 199: its function's clear ran
            f.record(1, 16, 40);
            assertThat(f.lateValues()).containsExactly(new Event(1, 16));
            f.watermark(Long.MAX_VALUE);
            assertThat(f.mainValues()).hasSize(3);
            List<Object> cleared = new ArrayList<>();
            f.keyed.forEachKey(Counting.FIRINGS, cleared::add);
            assertThat(cleared).as("clear dropped every per-window count").isEmpty();
            assertThat(Counting.CLEARS).containsExactly("[0,100) after 2", "[100,200) after 1");
        }
    }

    @Test
    void aWindowStateNameOfTheEngineOrOfGlobalStateIsRefused() throws Exception {
        try (WindowOperatorFixture f = fixture(
                HeapStateBackend.NAME,
                null,
                new EventTimeWindowOperator<>(
                        100, 100, WindowProcessing.process(() -> new Named("_mine"), events()), null, 0))) {
            f.record(1, 1, 10);
            assertThatThrownBy(() -> f.watermark(100))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("reserved");
        }
        try (WindowOperatorFixture f = fixture(
                HeapStateBackend.NAME,
                null,
                new EventTimeWindowOperator<>(
                        100, 100, WindowProcessing.process(() -> new Named(Counting.SEEN), events()), null, 0))) {
            f.record(1, 1, 10);
            assertThatThrownBy(() -> f.watermark(100))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("global");
        }
    }

    /** The incremental aggregate keeps the value state of earlier versions: their checkpoints restore. */
    @Test
    void aWindowAggregateKeepsItsValueState() throws Exception {
        try (WindowOperatorFixture f =
                fixture(HeapStateBackend.NAME, null, new EventTimeWindowOperator<>(100, 100, new Count(), null, 0))) {
            f.record(1, 1, 10).record(1, 1, 20).watermark(100);
            assertThat(f.mainValues()).containsExactly("1[0,100)=2");
            assertThat(f.keyed.stateNames()).contains(WindowContents.ACCUMULATOR);
        }
    }

    /** Lists the window's elements in arrival order, with the watermark at the firing. */
    static final class Describe extends ProcessWindowFunction<Event, String, Long> {
        @Override
        public void process(Long key, Context context, Iterable<Event> elements, Collector<String> out) {
            List<Long> values = new ArrayList<>();
            elements.forEach(e -> values.add(e.value()));
            out.collect(key + "[" + context.windowStart() + "," + context.windowEnd() + ")@"
                    + context.currentWatermark() + ":" + values);
        }
    }

    /**
     * Counts the firings of each window (per-window state) and the elements the key's firings saw (global state, got
     * in {@code open} and through the context: one state).
     */
    static final class Counting extends ProcessWindowFunction<Event, String, Long> {
        static final String FIRINGS = "firings";
        static final String SEEN = "seen";
        static final List<String> CLEARS = new ArrayList<>();
        private LongValueState seen;

        Counting() {
            CLEARS.clear();
        }

        @Override
        public void open(RuntimeContext context) {
            seen = context.getState(new LongValueStateDescriptor(SEEN));
        }

        @Override
        public void process(Long key, Context context, Iterable<Event> elements, Collector<String> out) {
            LongValueState firings = context.windowState().getState(new LongValueStateDescriptor(FIRINGS));
            int count = 0;
            for (Event ignored : elements) {
                count++;
            }
            seen.add(count);
            long global = context.globalState()
                    .getState(new LongValueStateDescriptor(SEEN))
                    .get();
            out.collect(key + "[" + context.windowStart() + "," + context.windowEnd() + ") firing " + firings.add(1)
                    + ": " + count + " elements, " + global + " seen");
        }

        @Override
        public void clear(Context context) {
            LongValueState firings = context.windowState().getState(new LongValueStateDescriptor(FIRINGS));
            CLEARS.add("[" + context.windowStart() + "," + context.windowEnd() + ") after " + firings.get());
            firings.clear();
        }
    }

    /** Asks for per-window state of a given name. */
    static final class Named extends ProcessWindowFunction<Event, String, Long> {
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public void open(RuntimeContext context) {
            if (!name.startsWith("_")) {
                context.getState(new LongValueStateDescriptor(name));
            }
        }

        @Override
        public void process(Long key, Context context, Iterable<Event> elements, Collector<String> out) {
            context.windowState().getState(new LongValueStateDescriptor(name));
        }
    }

    static final class Count implements WindowAggregate<Long, Event, Long, String> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Event value, Long accumulator) {
            return accumulator + 1;
        }

        @Override
        public String result(Long key, long windowStart, long windowEnd, Long accumulator) {
            return key + "[" + windowStart + "," + windowEnd + ")=" + accumulator;
        }

        @Override
        public StateSerializer<Long> accumulatorSerializer() {
            return LongSerializer.INSTANCE;
        }
    }
}

package io.tidemark.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.MergingState;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.OperatorStateStore;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.function.CheckpointedFunction;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;
import io.tidemark.state.StateTtlConfig;
import io.tidemark.state.ValueState;
import io.tidemark.state.ValueStateDescriptor;
import io.tidemark.testing.KeyedProcessFunctionHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/state.md. Each tagged region below appears verbatim in the guide; {@link #guideShowsTheseExamples}
 * fails when the two drift apart, and the other tests run the examples.
 */
class StateGuideExamplesTest {

    // tag::counting[]
    record Trade(String symbol, long priceTicks, long quantity) {}

    /** Counts trades and sums volume per symbol; emits "symbol count volume" for each trade. */
    static final class VolumePerSymbol extends KeyedProcessFunction<String, Trade, String> {
        private LongValueState count;
        private LongValueState volume;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new LongValueStateDescriptor("count"));
            volume = context.getState(new LongValueStateDescriptor("volume"));
        }

        @Override
        public void processElement(Trade trade, Context<String> ctx, Collector<String> out) {
            long n = count.add(1);
            long v = volume.add(trade.quantity());
            out.collect(trade.symbol() + " " + n + " " + v);
        }
    }
    // end::counting[]

    // tag::timers[]
    /** Remembers the last price per symbol and reports it once a minute of event time passed without a new trade. */
    static final class QuietSymbolAlert extends KeyedProcessFunction<String, Trade, String> {
        private ValueState<Trade> last;

        @Override
        public void open(RuntimeContext context) {
            ValueStateDescriptor<Trade> descriptor =
                    new ValueStateDescriptor<>("last-trade", new RecordSerializer<>(Trade.class));
            descriptor.enableTimeToLive(StateTtlConfig.eventTime(Duration.ofHours(1)));
            last = context.getState(descriptor);
        }

        @Override
        public void processElement(Trade trade, Context<String> ctx, Collector<String> out) {
            last.update(trade);
            ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 60_000);
        }

        @Override
        public void onTimer(long time, OnTimerContext<String> ctx, Collector<String> out) {
            Trade trade = last.value();
            if (trade != null && time >= ctx.timerService().currentWatermark()) {
                out.collect(ctx.getCurrentKey() + " quiet at " + trade.priceTicks());
            }
        }
    }
    // end::timers[]

    // tag::operator-state[]
    /** A source-side function that remembers how far it read, redistributed by even split on rescale. */
    static final class OffsetTracker implements CheckpointedFunction {
        private ListState<Long> offsets;
        long position;

        @Override
        public void initializeState(OperatorStateStore store, boolean restored) {
            offsets = store.getListState(new ListStateDescriptor<>("offsets", LongSerializer.INSTANCE));
            for (long offset : offsets.get()) {
                position = Math.max(position, offset);
            }
        }

        @Override
        public void snapshotState(long checkpointId) {
            offsets.update(List.of(position));
        }
    }
    // end::operator-state[]

    @Test
    void countingExampleCounts() throws Exception {
        try (KeyedProcessFunctionHarness<String, Trade, String> harness = new KeyedProcessFunctionHarness<>(
                new HeapStateBackend(), new VolumePerSymbol(), Trade::symbol, StringSerializer.INSTANCE, 128)) {
            harness.processElement(new Trade("ACME", 1_000_000, 10), 1);
            harness.processElement(new Trade("BOLT", 2_000_000, 5), 2);
            harness.processElement(new Trade("ACME", 1_010_000, 7), 3);
            assertThat(harness.output()).containsExactly("ACME 1 10", "BOLT 1 5", "ACME 2 17");
        }
    }

    @Test
    void timerExampleFiresOnlyForQuietSymbols() throws Exception {
        try (KeyedProcessFunctionHarness<String, Trade, String> harness = new KeyedProcessFunctionHarness<>(
                new HeapStateBackend(), new QuietSymbolAlert(), Trade::symbol, StringSerializer.INSTANCE, 128)) {
            harness.processElement(new Trade("ACME", 100, 1), 0);
            harness.processElement(new Trade("BOLT", 200, 1), 30_000);
            harness.processWatermark(60_000);
            assertThat(harness.output()).containsExactly("ACME quiet at 100");
        }
    }

    @Test
    void embeddingExampleSnapshotsAndRestores() throws Exception {
        // tag::embedding[]
        HeapStateBackend stateBackend = new HeapStateBackend();
        InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
        MapStateDescriptor<String, Long> positions =
                new MapStateDescriptor<>("positions", StringSerializer.INSTANCE, LongSerializer.INSTANCE);

        KeyedStateHandle handle;
        try (KeyedStateBackend<String> backend = stateBackend.createKeyedStateBackend(
                KeyedBackendParameters.allKeyGroups("risk", StringSerializer.INSTANCE, 128))) {
            MapState<String, Long> byInstrument = backend.getOrCreateKeyedState(positions);
            backend.setCurrentKey("account-7");
            byInstrument.put("ACME", 1_500L);
            byInstrument.put("BOLT", -200L);
            // synchronous part now, asynchronous part on any other thread (here: this one)
            handle = backend.snapshot(1, SnapshotKind.CANONICAL, storage).call();
        }

        try (KeyedStateBackend<String> restored = stateBackend.createKeyedStateBackend(
                KeyedBackendParameters.allKeyGroups("risk", StringSerializer.INSTANCE, 128))) {
            restored.restore(List.of(handle), storage.reader());
            MapState<String, Long> byInstrument = restored.getOrCreateKeyedState(positions);
            restored.setCurrentKey("account-7");
            assertThat(byInstrument.get("ACME")).isEqualTo(1_500L);
        }
        // end::embedding[]
    }

    @Test
    void mergingExampleMergesTwoNamespaces() {
        // tag::merging[]
        try (KeyedStateBackend<String> backend = new HeapStateBackend()
                .createKeyedStateBackend(
                        KeyedBackendParameters.allKeyGroups("sessions", StringSerializer.INSTANCE, 128))) {
            ListState<String> events = backend.getOrCreateKeyedState(
                    LongSerializer.INSTANCE, new ListStateDescriptor<>("events", StringSerializer.INSTANCE));
            @SuppressWarnings("unchecked")
            MergingState<Long> merging = (MergingState<Long>) events;
            backend.setCurrentKey("user-1");
            merging.setCurrentNamespace(0L);
            events.add("a");
            merging.setCurrentNamespace(30L);
            events.add("b");
            merging.mergeNamespaces(0L, List.of(30L)); // the current namespace stays 30, now empty
            assertThat(events.get()).isEmpty();
            merging.setCurrentNamespace(0L);
            assertThat(events.get()).containsExactly("a", "b");
        }
        // end::merging[]
    }

    @Test
    void operatorStateExampleResumesFromTheLargestOffset() throws Exception {
        InMemorySnapshotStorage storage = new InMemorySnapshotStorage();
        HeapStateBackend stateBackend = new HeapStateBackend();
        List<OperatorStateHandle> handles = new ArrayList<>();
        for (int instance = 0; instance < 2; instance++) {
            OperatorStateBackend backend = stateBackend.createOperatorStateBackend("source");
            OffsetTracker tracker = new OffsetTracker();
            tracker.initializeState(backend, false);
            tracker.position = 100 * (instance + 1);
            tracker.snapshotState(1);
            handles.add(backend.snapshot(1, storage).call());
        }
        OperatorStateBackend backend = stateBackend.createOperatorStateBackend("source");
        backend.restore(handles, storage.reader(), 0, 1);
        OffsetTracker tracker = new OffsetTracker();
        tracker.initializeState(backend, true);
        assertThat(tracker.position).isEqualTo(200);
    }

    @Test
    void guideShowsTheseExamples() throws IOException {
        String source = Files.readString(
                Path.of("src/test/java/io/tidemark/docs/StateGuideExamplesTest.java"), StandardCharsets.UTF_8);
        String guide = Files.readString(Path.of("../docs/state.md"), StandardCharsets.UTF_8);
        Matcher tags = Pattern.compile("// tag::([a-z-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL)
                .matcher(source);
        int found = 0;
        while (tags.find()) {
            found++;
            String example = dedent(tags.group(2));
            assertThat(guide)
                    .as("docs/state.md shows example '%s' verbatim", tags.group(1))
                    .contains(example);
        }
        assertThat(found).isEqualTo(5);
    }

    private static String dedent(String block) {
        String[] lines = block.split("\n");
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString().stripTrailing();
    }
}

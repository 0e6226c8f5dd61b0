package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.OperatorStateStore;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.KeyedStream;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.function.KeyedCoProcessFunction;
import io.tidemark.pipeline.function.SinkFunction;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A keyed job on primitive state allocates nothing per record once warm: generated {@code long} keys in one reused
 * record (copied into ring slots) → keyBy → {@code LongValueState.add} on the off-heap backend → a chained sink, two
 * workers, checkpoints running; and the same with two such sources keyed and connected into a keyed co-process
 * function (the two-input dispatch and the second input's key selector). Measured as the bytes the worker threads
 * allocate while the sources emit a few million records; checkpoints allocate per checkpoint (a few dozen here), a
 * record would cost at least 16 bytes.
 */
class KeyedJobAllocationTest {
    private static final long RECORDS = 8_000_000;
    private static final long MEASURE_FROM = 3_000_000;
    private static final long MEASURE_TO = 7_000_000;
    static final AtomicLong EMITTED = new AtomicLong();
    static final AtomicLong SUM = new AtomicLong();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "connected={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void workersAllocateLessThanOneBytePerRecordInSteadyState(boolean connected) throws Exception {
        EMITTED.set(0);
        SUM.set(0);
        PipelineContext config = new PipelineContext()
                .stateDirectory(dir)
                .workers(2)
                .defaultParallelism(2)
                .backend("offheap")
                .memoryBytes(64L << 20)
                .checkpointing(CheckpointSettings.defaults().withInterval(Duration.ofMillis(200)));
        Pipeline pipeline = new Pipeline(config);
        if (connected) {
            KeyedStream<Long, Event> first = pipeline.source("keys", () -> new KeySource(RECORDS / 2, 1), 1)
                    .copyRecords(Event::new, (from, to) -> to.key = from.key)
                    .keyBy((Event e) -> e.key);
            KeyedStream<Long, Event> second = pipeline.source("more-keys", () -> new KeySource(RECORDS / 2, 2), 1)
                    .copyRecords(Event::new, (from, to) -> to.key = from.key)
                    .keyBy((Event e) -> e.key);
            first.connect(second).process("count", CoCounter::new, 2).sink("sum", SumSink::new, 2);
        } else {
            pipeline.source("keys", () -> new KeySource(RECORDS, 0), 1)
                    .copyRecords(Event::new, (from, to) -> to.key = from.key)
                    .keyBy((Event e) -> e.key)
                    .process("count", Counter::new, 2)
                    .sink("sum", SumSink::new, 2);
        }

        long[] allocated = new long[2];
        Thread probe = new Thread(() -> {
            allocated[0] = measureAt(MEASURE_FROM);
            allocated[1] = measureAt(MEASURE_TO);
        });
        probe.setDaemon(true);
        probe.start();
        JobRunner.Result result =
                new JobRunner(pipeline, new JobRunner.Events() {}).run(new JobRunner.RestoreMode.None());
        probe.join();

        assertThat(result.restarts()).isZero();
        assertThat(SUM.get()).as("every record counted once").isEqualTo(RECORDS);
        long bytes = allocated[1] - allocated[0];
        double perRecord = (double) bytes / (MEASURE_TO - MEASURE_FROM);
        System.out.printf(
                "worker threads allocated %d bytes over %d records: %.4f bytes/record%n",
                bytes, MEASURE_TO - MEASURE_FROM, perRecord);
        assertThat(allocated[0]).isPositive();
        assertThat(perRecord).isLessThan(1.0);
    }

    /** Waits until the source emitted {@code records}, then sums what the worker threads allocated so far. */
    private static long measureAt(long records) {
        while (EMITTED.get() < records) {
            Thread.onSpinWait();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("tidemark-worker-")) {
                ids.add(t.getId());
            }
        }
        long total = 0;
        for (long id : ids) {
            total += threads.getThreadAllocatedBytes(id);
        }
        return total;
    }

    /** The one mutable record type of the job. */
    static final class Event {
        long key;
    }

    /**
     * {@code records} random keys over 1M (a sequence per {@code stream}), one reused {@link Event}; position in
     * operator state. Adds what it emitted to {@link #EMITTED} every 65536 records.
     */
    static final class KeySource implements SourceFunction<Event> {
        private final Event event = new Event();
        private final long records;
        private ListState<Long> position;
        private long emitted;
        private long seed;

        KeySource(long records, int stream) {
            this.records = records;
            this.seed = 0x9E3779B97F4A7C15L + stream;
        }

        @Override
        public void initializeState(OperatorStateStore store, boolean restored) {
            position = store.getListState(new ListStateDescriptor<>("position", LongSerializer.INSTANCE));
        }

        @Override
        public void snapshotState(long checkpointId) {
            position.update(List.of(emitted));
        }

        @Override
        public boolean emitNext(SourceContext<Event> ctx) {
            if (emitted >= records) {
                return false;
            }
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            event.key = (seed >>> 1) % 1_000_000;
            ctx.collect(event, emitted);
            emitted++;
            if ((emitted & 0xFFFF) == 0) {
                EMITTED.addAndGet(0x10000);
            }
            return true;
        }
    }

    /** Counts per key in primitive state; emits the key's count in one reused holder to the chained sink. */
    static final class Counter extends KeyedProcessFunction<Long, Event, long[]> {
        private final long[] out = new long[1];
        private LongValueState count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new LongValueStateDescriptor("count"));
        }

        @Override
        public void processElement(Event value, Context<Long> ctx, Collector<long[]> collector) {
            count.add(1);
            out[0] = 1;
            collector.collect(out);
        }
    }

    /** {@link Counter} over two connected inputs: one count per key for both. */
    static final class CoCounter extends KeyedCoProcessFunction<Long, Event, Event, long[]> {
        private final long[] out = new long[1];
        private LongValueState count;

        @Override
        public void open(RuntimeContext context) {
            count = context.getState(new LongValueStateDescriptor("count"));
        }

        @Override
        public void processElement1(Event value, Context<Long> ctx, Collector<long[]> collector) {
            count.add(1);
            out[0] = 1;
            collector.collect(out);
        }

        @Override
        public void processElement2(Event value, Context<Long> ctx, Collector<long[]> collector) {
            count.add(1);
            out[0] = 1;
            collector.collect(out);
        }
    }

    static final class SumSink implements SinkFunction<long[]> {
        private long sum;

        @Override
        public void invoke(long[] value, long timestamp) {
            sum += value[0];
        }

        @Override
        public void finish() {
            SUM.addAndGet(sum);
        }
    }
}

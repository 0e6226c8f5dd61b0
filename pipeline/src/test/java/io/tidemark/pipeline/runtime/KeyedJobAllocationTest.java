package io.tidemark.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.OperatorStateStore;
import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed job on primitive state allocates nothing per record once warm: generated {@code long} keys in one reused
 * record (copied into ring slots) → keyBy → {@code LongValueState.add} on the off-heap backend → a chained sink, two
 * workers, checkpoints running. Measured as the bytes the worker threads allocate while the source emits a few million
 * records; checkpoints allocate per checkpoint (a few dozen here), a record would cost at least 16 bytes.
 */
class KeyedJobAllocationTest {
    private static final long RECORDS = 8_000_000;
    private static final long MEASURE_FROM = 3_000_000;
    private static final long MEASURE_TO = 7_000_000;
    static final AtomicLong EMITTED = new AtomicLong();
    static final AtomicLong SUM = new AtomicLong();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void workersAllocateLessThanOneBytePerRecordInSteadyState() throws Exception {
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
        pipeline.source("keys", KeySource::new, 1)
                .copyRecords(Event::new, (from, to) -> to.key = from.key)
                .keyBy((Event e) -> e.key)
                .process("count", Counter::new, 2)
                .sink("sum", SumSink::new, 2);

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

    /** {@link #RECORDS} random keys over 1M, one reused {@link Event}; position in operator state. */
    static final class KeySource implements SourceFunction<Event> {
        private final Event event = new Event();
        private ListState<Long> position;
        private long emitted;
        private long seed = 0x9E3779B97F4A7C15L;

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
            if (emitted >= RECORDS) {
                return false;
            }
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            event.key = (seed >>> 1) % 1_000_000;
            ctx.collect(event, emitted);
            emitted++;
            if ((emitted & 0xFFFF) == 0) {
                EMITTED.lazySet(emitted);
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

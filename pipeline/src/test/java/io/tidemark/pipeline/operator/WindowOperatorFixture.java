package io.tidemark.pipeline.operator;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.chronicle.ChronicleStateBackend;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A window operator (any keyed function over {@link Event}s) in a {@link KeyedProcessOperator} outside a job, as the
 * runtime sets it up: a keyed backend of some key groups (restored from handles or empty), main output and a side
 * output {@value #LATE} collected into lists with their timestamps. Test thread only.
 */
final class WindowOperatorFixture implements AutoCloseable {
    static final int MAX_PARALLELISM = 128;
    static final String LATE = "late";

    /** A keyed record: {@code key}, {@code value}; its timestamp travels beside it. */
    public record Event(long key, long value) {}

    /** A record the operator emitted, with its timestamp. */
    record Emitted(Object value, long timestamp) {}

    final KeyedStateBackend<Object> keyed;
    final RecordOutput output;
    final KeyedProcessOperator<Long, Event, Object> operator;
    final List<Emitted> main = new ArrayList<>();
    final List<Emitted> late = new ArrayList<>();

    static StateBackend backend(String name) {
        return switch (name) {
            case HeapStateBackend.NAME -> new HeapStateBackend();
            case OffHeapStateBackend.NAME -> new OffHeapStateBackend();
            case ChronicleStateBackend.NAME -> new ChronicleStateBackend();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** @param restored keyed handles to restore, or {@code null} for a fresh instance */
    @SuppressWarnings("unchecked")
    WindowOperatorFixture(
            StateBackend backend,
            Path directory,
            KeyGroupRange range,
            InMemorySnapshotStorage storage,
            List<KeyedStateHandle> restored,
            KeyedProcessFunction<Long, Event, ?> function)
            throws Exception {
        StateSerializer<Object> keys = (StateSerializer<Object>) (StateSerializer<?>) LongSerializer.INSTANCE;
        this.keyed = backend.createKeyedStateBackend(
                new KeyedBackendParameters<>("window", keys, MAX_PARALLELISM, range, TtlClock.SYSTEM, directory));
        if (restored != null) {
            keyed.restore(restored, storage.reader());
        }
        this.output = new RecordOutput(
                new RecordOutput.Edge[] {new ListEdge(main)},
                Map.of(LATE, new RecordOutput.Edge[] {new ListEdge(late)}));
        this.operator = new KeyedProcessOperator<>((KeyedProcessFunction<Long, Event, Object>) function);
        OperatorContext context = new OperatorContext(
                "window",
                0,
                1,
                MAX_PARALLELISM,
                keyed,
                backend.createOperatorStateBackend("window"),
                output,
                new TaskMetrics("window#0"),
                record -> ((Event) record).key());
        operator.setup(context);
        operator.initializeState(restored != null);
        operator.open();
    }

    /** Processes a record of {@code key} with {@code value} at {@code timestamp}. */
    WindowOperatorFixture record(long key, long value, long timestamp) throws Exception {
        output.setCurrent(timestamp, 0); // as the runtime does: what the record's outputs inherit
        operator.processRecord(new Event(key, value), timestamp);
        return this;
    }

    WindowOperatorFixture watermark(long watermark) throws Exception {
        operator.processWatermark(watermark, null);
        return this;
    }

    /** The values emitted on the main output so far, in order. */
    List<Object> mainValues() {
        return main.stream().map(Emitted::value).toList();
    }

    List<Object> lateValues() {
        return late.stream().map(Emitted::value).toList();
    }

    KeyedStateHandle snapshot(long checkpointId, SnapshotKind kind, InMemorySnapshotStorage storage) throws Exception {
        operator.snapshotState(checkpointId);
        return keyed.snapshot(checkpointId, kind, storage).call();
    }

    @Override
    public void close() {
        try {
            operator.close();
        } catch (Exception e) {
            throw new IllegalStateException("operator close failed", e);
        } finally {
            keyed.close();
        }
    }

    private static final class ListEdge extends RecordOutput.Edge {
        private final List<Emitted> sink;

        ListEdge(List<Emitted> sink) {
            this.sink = sink;
        }

        @Override
        public void emitRecord(Object record, long timestamp, long originNanos) {
            sink.add(new Emitted(record, timestamp));
        }

        @Override
        public void broadcastWatermark(long watermark, long originNanos) {}

        @Override
        public void broadcast(byte kind, long value, long originNanos) {}
    }
}

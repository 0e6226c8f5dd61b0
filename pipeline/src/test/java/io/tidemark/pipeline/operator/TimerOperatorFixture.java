package io.tidemark.pipeline.operator;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.TtlClock;
import io.tidemark.backend.snapshot.InMemorySnapshotStorage;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.SnapshotKind;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StateSerializer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@link KeyedProcessOperator} running a {@link TimerRecorder} outside a job, as the runtime sets it up: a keyed
 * backend of some key groups (restored from handles or empty), an operator state backend, and an output whose records
 * go to a consumer. Test thread only.
 */
final class TimerOperatorFixture implements AutoCloseable {
    static final int MAX_PARALLELISM = 128;

    final KeyedStateBackend<Object> keyed;
    final OperatorStateBackend operatorState;
    final KeyedProcessOperator<Long, TimerRecorder.Command, TimerRecorder.Fired> operator;
    final KeyGroupRange range;
    final OperatorContext context;

    /**
     * @param restoredKeyed keyed handles to restore, or {@code null} for a fresh instance
     * @param restoredOperator operator handles to restore (instance {@code 0} of {@code 1}), or {@code null}
     */
    @SuppressWarnings("unchecked")
    TimerOperatorFixture(
            StateBackend backend,
            Path directory,
            KeyGroupRange range,
            InMemorySnapshotStorage storage,
            List<KeyedStateHandle> restoredKeyed,
            List<OperatorStateHandle> restoredOperator,
            Consumer<TimerRecorder.Fired> fired)
            throws Exception {
        this.range = range;
        StateSerializer<Object> keys = (StateSerializer<Object>) (StateSerializer<?>) LongSerializer.INSTANCE;
        this.keyed = backend.createKeyedStateBackend(
                new KeyedBackendParameters<>("timers", keys, MAX_PARALLELISM, range, TtlClock.SYSTEM, directory));
        this.operatorState = backend.createOperatorStateBackend("timers");
        if (restoredKeyed != null) {
            keyed.restore(restoredKeyed, storage.reader());
        }
        if (restoredOperator != null) {
            operatorState.restore(restoredOperator, storage.reader(), 0, 1);
        }
        RecordOutput output = new RecordOutput(new RecordOutput.Edge[] {new ConsumerEdge(fired)});
        this.operator = new KeyedProcessOperator<>(new TimerRecorder());
        this.context = new OperatorContext(
                "timers",
                0,
                1,
                MAX_PARALLELISM,
                keyed,
                operatorState,
                output,
                new TaskMetrics("timers#0"),
                record -> ((TimerRecorder.Command) record).key());
        operator.setup(context);
        operator.initializeState(restoredKeyed != null || restoredOperator != null);
        operator.open();
    }

    void process(TimerRecorder.Command command) throws Exception {
        operator.processRecord(command, 0);
    }

    /** The operator's synchronous checkpoint part, then both backends' snapshots, written. */
    Snapshot snapshot(long checkpointId, SnapshotKind kind, InMemorySnapshotStorage storage) throws Exception {
        operator.snapshotState(checkpointId);
        var keyedPart = keyed.snapshot(checkpointId, kind, storage);
        var operatorPart = operatorState.snapshot(checkpointId, storage);
        return new Snapshot(keyedPart.call(), operatorPart.call());
    }

    record Snapshot(KeyedStateHandle keyed, OperatorStateHandle operator) {}

    @Override
    public void close() {
        try {
            operator.close();
        } catch (Exception e) {
            throw new IllegalStateException("operator close failed", e);
        } finally {
            keyed.close();
            operatorState.close();
        }
    }

    private static final class ConsumerEdge extends RecordOutput.Edge {
        private final Consumer<TimerRecorder.Fired> fired;

        ConsumerEdge(Consumer<TimerRecorder.Fired> fired) {
            this.fired = fired;
        }

        @Override
        public void emitRecord(Object record, long timestamp, long originNanos) {
            fired.accept((TimerRecorder.Fired) record);
        }

        @Override
        public void broadcastWatermark(long watermark, long originNanos) {}

        @Override
        public void broadcast(byte kind, long value, long originNanos) {}
    }
}

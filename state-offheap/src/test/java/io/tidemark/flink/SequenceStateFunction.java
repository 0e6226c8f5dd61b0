package io.tidemark.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.AggregatingState;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed function of the MiniCluster jobs: it keeps every kind of keyed state and event-time timers, and checks on
 * every record that its state agrees with the input.
 *
 * <ul>
 *   <li>value state: the next sequence number the key expects; a record with any other number (a record lost or seen
 *       twice by the state, or state restored from another point than the source) fails the job;
 *   <li>reducing state: the sum of the key's values; aggregating state: their maximum;
 *   <li>map state: the running sum of each open window; a timer at the window's end emits a {@code window} line,
 *       removes the entry and appends the sum to the list state;
 *   <li>a final timer at the end of event time (registered on every record: timers are deduplicated, so it fires once
 *       per key) emits the {@code final} line from all five states and clears them.
 * </ul>
 *
 * <p>With {@code failOnce}, the first record that reaches this function after it was told of a completed checkpoint
 * fails the job, once per run, after its state updates: the restore has to drop them.
 */
final class SequenceStateFunction extends KeyedProcessFunction<Integer, Long, String>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    /** The last event time before the end-of-input watermark ({@code Long.MAX_VALUE}). */
    private static final long FINAL_TIMER = Long.MAX_VALUE - 1;

    private final SequenceShape shape;
    private final String runId;
    private final boolean failOnce;

    private transient ValueState<Long> nextSeq;
    private transient ReducingState<Long> total;
    private transient AggregatingState<Long, Long> max;
    private transient MapState<Long, Long> openWindows;
    private transient ListState<Long> closedWindows;
    private transient boolean checkpointCompleted;

    SequenceStateFunction(SequenceShape shape, String runId, boolean failOnce) {
        this.shape = shape;
        this.runId = runId;
        this.failOnce = failOnce;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        if (context.isRestored()) {
            RunReports.of(runId).restored.set(true);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // all of this function's state is keyed state, snapshotted by the backend
    }

    @Override
    public void open(OpenContext openContext) {
        nextSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("next-seq", Types.LONG));
        total = getRuntimeContext().getReducingState(new ReducingStateDescriptor<>("total", Long::sum, Types.LONG));
        max = getRuntimeContext().getAggregatingState(new AggregatingStateDescriptor<>("max", new Max(), Types.LONG));
        openWindows = getRuntimeContext().getMapState(new MapStateDescriptor<>("open-windows", Types.LONG, Types.LONG));
        closedWindows = getRuntimeContext().getListState(new ListStateDescriptor<>("closed-windows", Types.LONG));
    }

    @Override
    public void processElement(Long n, Context ctx, Collector<String> out) throws Exception {
        long seq = shape.seq(n);
        Long expected = nextSeq.value();
        if (seq != (expected == null ? 0 : expected)) {
            throw new IllegalStateException("state out of step with the input: key=" + ctx.getCurrentKey()
                    + ", expectedSeq=" + expected + ", receivedSeq=" + seq);
        }
        nextSeq.update(seq + 1);
        long value = SequenceShape.value(n);
        total.add(value);
        max.add(value);
        long window = shape.windowOf(seq);
        Long sum = openWindows.get(window);
        openWindows.put(window, (sum == null ? 0 : sum) + value);
        ctx.timerService().registerEventTimeTimer(shape.windowEnd(window));
        ctx.timerService().registerEventTimeTimer(FINAL_TIMER);
        if (failOnce && checkpointCompleted && RunReports.of(runId).failed.compareAndSet(false, true)) {
            throw new IllegalStateException(
                    "injected failure after a completed checkpoint: key=" + ctx.getCurrentKey() + ", seq=" + seq);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
        int key = ctx.getCurrentKey();
        if (timestamp == FINAL_TIMER) {
            emitFinal(key, out);
            return;
        }
        long window = (timestamp + 1) / shape.window() - 1;
        Long sum = openWindows.get(window);
        if (sum == null) {
            throw new IllegalStateException("window timer without window state: key=" + key + ", window=" + window);
        }
        openWindows.remove(window);
        closedWindows.add(sum);
        out.collect(SequenceShape.windowLine(key, window, sum));
        RunReports.of(runId).windowFired.complete(null);
    }

    private void emitFinal(int key, Collector<String> out) throws Exception {
        Long count = nextSeq.value();
        if (count == null) {
            throw new IllegalStateException("final timer of a key without state: key=" + key);
        }
        if (!openWindows.isEmpty()) {
            throw new IllegalStateException(
                    "windows still open at the end: key=" + key + ", windows=" + openWindows.keys());
        }
        List<Long> sums = new ArrayList<>();
        for (Long sum : closedWindows.get()) {
            sums.add(sum);
        }
        out.collect(SequenceShape.finalLine(key, count, total.get(), max.get(), sums));
        nextSeq.clear();
        total.clear();
        max.clear();
        closedWindows.clear();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointCompleted = true;
        RunReports.of(runId).checkpointCompleted.complete(null);
    }

    /** The maximum of longs, as an aggregate (accumulator and result are the maximum so far). */
    private static final class Max implements AggregateFunction<Long, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return Long.MIN_VALUE;
        }

        @Override
        public Long add(Long value, Long accumulator) {
            return Math.max(value, accumulator);
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            return Math.max(a, b);
        }
    }
}

package io.tidemark.jmh.pipeline;

import io.tidemark.function.Collector;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.RuntimeContext;
import io.tidemark.state.LongValueState;
import io.tidemark.state.LongValueStateDescriptor;

/**
 * The counter job's keyed function: adds 1 to the key's {@link LongValueState} and forwards the record it received.
 * Operator thread only. Allocates nothing itself: it emits the input record, and never asks for the key as an object;
 * the state's own allocation is the backend's (none on the off-heap backend once the key exists, one holder per new
 * key on the heap backend).
 */
final class CountingFunction extends KeyedProcessFunction<Long, CounterEvent, CounterEvent> {
    private final MeasuredWindow window;
    private final LatencyTally tally;
    private final AllocationMeter allocation = new AllocationMeter();
    private LongValueState counts;
    private long measureFrom = Long.MAX_VALUE;

    CountingFunction(MeasuredWindow window, LatencyTally tally) {
        this.window = window;
        this.tally = tally;
    }

    @Override
    public void open(RuntimeContext context) {
        counts = context.getState(new LongValueStateDescriptor("count"));
    }

    @Override
    public void processElement(CounterEvent value, Context<Long> ctx, Collector<CounterEvent> out) {
        counts.add(1);
        out.collect(value);
        if (measureFrom == Long.MAX_VALUE) {
            measureFrom = window.measureFromNanos();
        }
        if (value.intendedNanos >= measureFrom) {
            allocation.record();
        }
    }

    @Override
    public void close() {
        tally.allocation("keyed", allocation.bytesPerRecord());
    }
}

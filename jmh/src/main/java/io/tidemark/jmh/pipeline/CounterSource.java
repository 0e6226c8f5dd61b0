package io.tidemark.jmh.pipeline;

import io.tidemark.backend.OperatorStateStore;
import io.tidemark.function.RuntimeContext;
import io.tidemark.pipeline.function.SourceContext;
import io.tidemark.pipeline.function.SourceFunction;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.state.ListState;
import io.tidemark.state.ListStateDescriptor;
import java.util.List;

/**
 * The counter job's generated source, open-loop: record {@code i} is due at {@code start + i * 1e9 / rate} ns and is
 * stamped with that intended time, not with the time it actually leaves. When the source is behind (the pipeline pushed
 * back, or the thread was descheduled) it emits at once and the record's latency includes the delay: the measurement
 * is corrected for coordinated omission. Unpaced ({@code rate} 0) it emits as fast as the pipeline takes records and
 * stamps each with the time of emission. The input is bounded: it ends after the window's warm-up and measured parts.
 *
 * <p>Keys are uniform over {@code [0, keys)}, record {@code i}'s key a pure function of (seed, i), so the position is
 * the whole of the source's state; it is checkpointed as operator state, as a replayable source would.
 *
 * <p>Several instances split the schedule: instance {@code j} of {@code P} emits the records {@code i ≡ j (mod P)}, all
 * scheduled from one start. A record not due yet makes {@link #emitNext} return without emitting (a source must not
 * wait): the worker runs its other operators or idles with the job's idle strategy, and calls again.
 *
 * <p>Worker thread only. Allocates nothing per record: it fills one {@link CounterEvent} and emits it again and again
 * (the stream copies records into ring slots). Paced and behind, it reads no clock per record; paced and on time, one
 * {@link System#nanoTime()} per look; unpaced, one per 16 records (the emission time of the first of them: two clock
 * reads per record, here and at the sink, would cost the measured throughput about 14%).
 */
final class CounterSource implements SourceFunction<CounterEvent> {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Unpaced, the clock is read once per this many + 1 records (their emission time, a few ns apart). */
    static final long UNPACED_CLOCK_MASK = 15;

    private final long rate;
    private final long keys;
    private final long seed;
    private final MeasuredWindow window;
    private final LatencyTally tally;
    private final long count;
    private final AllocationMeter allocation = new AllocationMeter();
    private final CounterEvent event = new CounterEvent();
    private int instance;
    private int instances = 1;
    private ListState<Long> positionState;
    /** The next record's index over all instances. */
    private long index;
    /** Records this instance emitted (after the restored position). */
    private long emitted;

    private long startNanos;
    private long endNanos;
    private long lastNow;
    private long measureFrom;

    /**
     * @param rate records per second offered, 0 for unpaced
     * @param keys distinct keys
     * @param seed of the key sequence
     * @param window the run's time line; this source starts it
     * @param tally told how many records were emitted when the source closes
     */
    CounterSource(long rate, long keys, long seed, MeasuredWindow window, LatencyTally tally) {
        this.rate = rate;
        this.keys = keys;
        this.seed = seed;
        this.window = window;
        this.tally = tally;
        long seconds = window.warmupNanos() + window.measureNanos();
        this.count = rate == 0 ? Long.MAX_VALUE : Math.multiplyExact(seconds, rate) / NANOS_PER_SECOND;
    }

    /** Instance {@code j} of {@code P} emits the records {@code i} with {@code i mod P = j}. */
    @Override
    public void open(RuntimeContext context) {
        instance = context.indexOfThisSubtask();
        instances = context.parallelism();
        index = instance;
    }

    @Override
    public void initializeState(OperatorStateStore store, boolean restored) throws Exception {
        positionState = store.getListState(new ListStateDescriptor<>("position", LongSerializer.INSTANCE));
        if (restored) {
            for (Long position : positionState.get()) {
                index = position;
            }
        }
    }

    @Override
    public boolean emitNext(SourceContext<CounterEvent> ctx) {
        if (startNanos == 0) {
            start();
        }
        if (index >= count) {
            return false;
        }
        long intended;
        if (rate == 0) {
            if ((emitted & UNPACED_CLOCK_MASK) == 0) {
                lastNow = System.nanoTime();
            }
            intended = lastNow;
            if (intended >= endNanos) {
                return false;
            }
        } else {
            intended = startNanos + index * NANOS_PER_SECOND / rate;
            if (intended > lastNow) {
                lastNow = System.nanoTime();
                if (intended > lastNow) {
                    return true; // not due: the worker runs others or idles, and calls again
                }
            }
        }
        event.key = keyOf(index);
        event.intendedNanos = intended;
        ctx.collect(event, Long.MIN_VALUE);
        index += instances;
        emitted++;
        if (intended >= measureFrom) {
            allocation.record();
        }
        return true;
    }

    private void start() {
        startNanos = window.startOnce(System.nanoTime());
        lastNow = startNanos;
        endNanos = window.endNanos();
        measureFrom = window.measureFromNanos();
    }

    /** A uniform key in [0, keys) for record {@code i}: SplitMix64's finalizer over the seeded index. */
    private long keyOf(long i) {
        long z = seed + i * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 1) % keys;
    }

    @Override
    public void snapshotState(long checkpointId) throws Exception {
        positionState.update(List.of(index));
    }

    @Override
    public void close() {
        tally.sourceClosed(emitted);
        tally.allocation("source", allocation.bytesPerRecord());
    }
}

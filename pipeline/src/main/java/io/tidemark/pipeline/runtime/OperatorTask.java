package io.tidemark.pipeline.runtime;

import io.tidemark.pipeline.CheckpointingMode;
import io.tidemark.pipeline.metrics.TaskMetrics;
import io.tidemark.pipeline.operator.OperatorContext;
import io.tidemark.pipeline.operator.StreamOperator;
import io.tidemark.pipeline.operator.TwoInputOperator;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * Runs a non-source operator over its input channels (one per upstream instance). Records go to {@link
 * StreamOperator#processRecord}, or, for the channels of the second input of a {@link TwoInputOperator}, to {@link
 * TwoInputOperator#processRecord2} (a flag per channel, read per record: no tag travels with the record). Watermarks:
 * the minimum over inputs that have not ended. Barriers: with exactly-once, an input that delivered barrier n is
 * blocked until every input did (alignment), then the snapshot is taken and all inputs resume; with at-least-once no
 * input is blocked. A newer barrier cancels an unfinished alignment (the older checkpoint was aborted or timed out).
 */
final class OperatorTask extends Task {
    private static final int BATCH = 256;
    /** Records announced ahead: enough for the core's outstanding misses to overlap, few enough to stay in L1. */
    private static final int PREFETCH = 16;

    private final Channel[] inputs;
    /** Per channel: true when it carries the second input of {@link #twoInput}. */
    private final boolean[] secondInput;
    /** The operator when it has two inputs, else {@code null}. */
    private final TwoInputOperator twoInput;

    private final boolean[] blocked;
    private final boolean[] ended;
    private final long[] watermarks;
    private final boolean align;
    private int liveInputs;
    private long watermark = Long.MIN_VALUE;
    private long alignId = -1;
    private boolean aligning;
    private int barriersReceived;
    private long alignStartNanos;
    private boolean done;
    /** Events this step may still take in: what the output rings can hold without waiting. */
    private int budget;

    private final boolean prefetching;

    OperatorTask(
            String name,
            int taskIndex,
            int subtask,
            int parallelism,
            StreamOperator operator,
            OperatorContext context,
            Channel[] inputs,
            boolean[] secondInput,
            CheckpointingMode mode,
            Cancellation cancellation,
            Executor snapshotExecutor,
            TaskHost host) {
        super(name, taskIndex, subtask, parallelism, operator, context, cancellation, snapshotExecutor, host);
        this.inputs = inputs;
        this.secondInput = secondInput;
        this.twoInput = operator instanceof TwoInputOperator two ? two : null;
        this.blocked = new boolean[inputs.length];
        this.ended = new boolean[inputs.length];
        this.watermarks = new long[inputs.length];
        Arrays.fill(watermarks, Long.MIN_VALUE);
        this.align = mode == CheckpointingMode.EXACTLY_ONCE && inputs.length > 1;
        this.liveInputs = inputs.length;
        this.prefetching = operator.prefetches();
    }

    /** Drains up to {@link #BATCH} events of every input that is neither blocked nor ended. */
    @Override
    boolean step(int room) throws Exception {
        if (done) {
            return false;
        }
        boolean worked = false;
        budget = Math.min(BATCH, room);
        for (int c = 0; c < inputs.length && budget > 0; c++) {
            if (!blocked[c] && !ended[c]) {
                worked |= drain(c);
            }
        }
        operator.onIdle();
        if (liveInputs == 0) {
            processMailbox();
            operator.finish();
            output.broadcast(StreamEvent.END_OF_INPUT, 0);
            done = true;
            return true;
        }
        return worked;
    }

    @Override
    boolean finished() {
        return done;
    }

    /**
     * Handles up to {@link #BATCH} events of input {@code c}, in chunks of {@link #PREFETCH}: when the operator takes
     * hints, the records of a chunk are announced to it first (their state lookups then miss the cache together).
     */
    private boolean drain(int c) throws Exception {
        Channel channel = inputs[c];
        long next = channel.consumedSequence() + 1;
        long available = channel.available();
        if (available < next) {
            return false;
        }
        long limit = Math.min(available, next + budget - 1);
        long sequence = next;
        while (sequence <= limit) {
            long chunkEnd = Math.min(limit, sequence + PREFETCH - 1);
            if (prefetching) {
                final boolean second = secondInput[c];
                for (long s = sequence; s <= chunkEnd; s++) {
                    StreamEvent event = channel.get(s);
                    if (event.kind == StreamEvent.RECORD) {
                        if (second) {
                            twoInput.prefetch2(event.record);
                        } else {
                            operator.prefetch(event.record);
                        }
                    }
                }
            }
            for (; sequence <= chunkEnd; sequence++) {
                StreamEvent event = channel.get(sequence);
                Object record = event.record;
                event.record = null;
                handle(c, event.kind, record, event.value, event.originNanos);
                if (blocked[c] || ended[c]) {
                    channel.release(sequence);
                    budget -= (int) (sequence + 1 - next);
                    return true;
                }
            }
        }
        channel.release(sequence - 1);
        budget -= (int) (sequence - next);
        return true;
    }

    private void handle(int c, byte kind, Object record, long value, long originNanos) throws Exception {
        switch (kind) {
            case StreamEvent.RECORD -> {
                if ((++metrics.recordsIn & TaskMetrics.LATENCY_SAMPLE_MASK) == 0) {
                    metrics.recordInputLatency(originNanos);
                }
                output.setCurrent(value, originNanos);
                if (secondInput[c]) {
                    twoInput.processRecord2(record, value);
                } else {
                    operator.processRecord(record, value);
                }
            }
            case StreamEvent.WATERMARK -> {
                watermarks[c] = Math.max(watermarks[c], value);
                output.setCurrent(Long.MIN_VALUE, originNanos);
                advanceWatermark();
            }
            case StreamEvent.BARRIER -> onBarrier(c, value);
            default -> {
                ended[c] = true;
                liveInputs--;
                advanceWatermark();
                if (aligning && barriersReceived >= liveInputs && liveInputs > 0) {
                    completeAlignment();
                }
            }
        }
    }

    private void advanceWatermark() throws Exception {
        long min = Long.MAX_VALUE;
        boolean any = false;
        for (int i = 0; i < watermarks.length; i++) {
            if (!ended[i]) {
                min = Math.min(min, watermarks[i]);
                any = true;
            }
        }
        if (any && min > watermark) {
            watermark = min;
            operator.processWatermark(min, context);
        }
    }

    private void onBarrier(int c, long id) throws Exception {
        if (id < alignId || (id == alignId && !aligning)) {
            return;
        }
        if (id > alignId) {
            releaseAll();
            alignId = id;
            aligning = true;
            barriersReceived = 0;
            alignStartNanos = System.nanoTime();
        }
        if (align) {
            blocked[c] = true;
        }
        barriersReceived++;
        if (barriersReceived >= liveInputs) {
            completeAlignment();
        }
    }

    private void completeAlignment() throws Exception {
        aligning = false;
        metrics.alignmentNanos += System.nanoTime() - alignStartNanos;
        performCheckpoint(alignId);
        releaseAll();
    }

    private void releaseAll() {
        Arrays.fill(blocked, false);
    }
}

package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.function.BroadcastProcessFunction;
import io.tidemark.pipeline.operator.BroadcastProcessOperator;
import io.tidemark.pipeline.operator.PlanNode;
import java.util.function.Supplier;

/**
 * A stream connected with a broadcast stream ({@link DataStream#connect(BroadcastStream)}), to be processed by a
 * {@link BroadcastProcessFunction}. Cold path, the pipeline's building thread.
 *
 * @param <A> the (non-broadcast) stream's type
 * @param <B> the broadcast stream's type
 */
public final class BroadcastConnectedStreams<A, B> {
    private final DataStream<A> first;
    private final BroadcastStream<B> broadcast;

    BroadcastConnectedStreams(DataStream<A> first, BroadcastStream<B> broadcast) {
        if (first.pipeline != broadcast.pipeline()) {
            throw new ConfigurationException("connect of streams of two pipelines: first=" + first.node.name()
                    + ", broadcast=" + broadcast.input().node().name());
        }
        this.first = first;
        this.broadcast = broadcast;
    }

    /**
     * Runs {@code factory}'s function on {@code parallelism} instances (the default parallelism for 0 or less): the
     * stream reaches them forward (same index at equal parallelism, round robin otherwise), the broadcast stream's
     * every record reaches every instance. Each instance keeps the broadcast states the broadcast stream declared, as
     * operator broadcast state: checkpointed, and restored at any parallelism (every instance gets old instance 0's).
     * The watermark is the minimum over both inputs; with exactly-once checkpoints the barriers align across both.
     */
    public <OUT> DataStream<OUT> process(
            String name, Supplier<? extends BroadcastProcessFunction<A, B, OUT>> factory, int parallelism) {
        PlanNode node = first.pipeline.addTwoInput(
                name,
                parallelism,
                new PlanNode.Input(first.node, first.tag),
                broadcast.input(),
                null,
                () -> new BroadcastProcessOperator<>(factory.get(), broadcast.stateDescriptors()));
        return new DataStream<>(first.pipeline, node);
    }

    /** As {@link #process(String, Supplier, int)}, at the stream's parallelism. */
    public <OUT> DataStream<OUT> process(String name, Supplier<? extends BroadcastProcessFunction<A, B, OUT>> factory) {
        return process(name, factory, first.node.parallelism());
    }
}

package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.function.KeyedBroadcastProcessFunction;
import io.tidemark.pipeline.operator.KeyedBroadcastProcessOperator;
import io.tidemark.pipeline.operator.PlanNode;
import java.util.function.Supplier;

/**
 * A keyed stream connected with a broadcast stream ({@link KeyedStream#connect(BroadcastStream)}), to be processed by
 * a {@link KeyedBroadcastProcessFunction}. Cold path, the pipeline's building thread.
 *
 * @param <K> the key type of the keyed stream
 * @param <A> the keyed stream's type
 * @param <B> the broadcast stream's type
 */
public final class KeyedBroadcastConnectedStreams<K, A, B> {
    private final KeyedStream<K, A> keyed;
    private final BroadcastStream<B> broadcast;

    KeyedBroadcastConnectedStreams(KeyedStream<K, A> keyed, BroadcastStream<B> broadcast) {
        if (keyed.pipeline() != broadcast.pipeline()) {
            throw new ConfigurationException("connect of streams of two pipelines: keyed="
                    + keyed.keyedInput().node().name() + ", broadcast="
                    + broadcast.input().node().name());
        }
        this.keyed = keyed;
        this.broadcast = broadcast;
    }

    /**
     * Runs {@code factory}'s function on {@code parallelism} instances (the default parallelism for 0 or less), each
     * owning a range of key groups of the keyed stream and receiving every record of the broadcast stream. Keyed state
     * and timers as in a keyed process function; the broadcast states the broadcast stream declared are operator
     * broadcast state, checkpointed, and restored at any parallelism (every instance gets old instance 0's). The
     * watermark is the minimum over both inputs; with exactly-once checkpoints the barriers align across both.
     */
    public <OUT> DataStream<OUT> process(
            String name, Supplier<? extends KeyedBroadcastProcessFunction<K, A, B, OUT>> factory, int parallelism) {
        PlanNode.Input input = keyed.keyedInput();
        PlanNode node = keyed.pipeline()
                .addTwoInput(
                        name,
                        parallelism,
                        input,
                        broadcast.input(),
                        keyed.keySerializer(),
                        () -> new KeyedBroadcastProcessOperator<>(
                                factory.get(), input.keySelector(), broadcast.stateDescriptors()));
        return new DataStream<>(keyed.pipeline(), node);
    }
}

package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.function.CoProcessFunction;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.operator.CoProcessOperator;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.serialization.StateSerializer;
import java.util.function.Supplier;

/**
 * Two streams of possibly different types connected into one operator ({@link DataStream#connect(DataStream)}): a
 * {@link CoProcessFunction} sees the records of both, or, after {@link #keyBy}, a keyed co-process function with keyed
 * state and timers shared by both. The operator's watermark is the minimum over both inputs; with exactly-once
 * checkpoints it aligns barriers across both. Cold path, the pipeline's building thread.
 *
 * @param <A> the first stream's type
 * @param <B> the second stream's type
 */
public final class ConnectedStreams<A, B> {
    private final Pipeline pipeline;
    private final DataStream<A> first;
    private final DataStream<B> second;

    ConnectedStreams(DataStream<A> first, DataStream<B> second) {
        if (first.pipeline != second.pipeline) {
            throw new ConfigurationException("connect of streams of two pipelines: first=" + first.node.name()
                    + ", second=" + second.node.name());
        }
        this.pipeline = first.pipeline;
        this.first = first;
        this.second = second;
    }

    /**
     * Runs {@code factory}'s function on {@code parallelism} instances (the default parallelism for 0 or less): each
     * input reaches them forward (instance {@code i} of an input at the same parallelism feeds instance {@code i}),
     * round robin otherwise.
     */
    public <OUT> DataStream<OUT> process(
            String name, Supplier<? extends CoProcessFunction<A, B, OUT>> factory, int parallelism) {
        PlanNode node = pipeline.addTwoInput(
                name,
                parallelism,
                new PlanNode.Input(first.node, first.tag),
                new PlanNode.Input(second.node, second.tag),
                null,
                () -> new CoProcessOperator<>(factory.get()));
        return new DataStream<>(pipeline, node);
    }

    /** As {@link #process(String, Supplier, int)}, at the first stream's parallelism. */
    public <OUT> DataStream<OUT> process(String name, Supplier<? extends CoProcessFunction<A, B, OUT>> factory) {
        return process(name, factory, first.node.parallelism());
    }

    /**
     * Partitions both streams by key group, each by its own selector: records of either stream with equal keys reach
     * the same instance, whose keyed state and timers both inputs share. Same as connecting {@code
     * first.keyBy(firstKeys, keySerializer)} with {@code second.keyBy(secondKeys, keySerializer)}.
     *
     * @throws ConfigurationException if the key serializer reveals a key type without a stable hash (see {@link
     *     DataStream#keyBy(KeySelector, StateSerializer)})
     */
    public <K> KeyedConnectedStreams<K, A, B> keyBy(
            KeySelector<? super A, K> firstKeys,
            KeySelector<? super B, K> secondKeys,
            StateSerializer<K> keySerializer) {
        return first.keyBy(firstKeys, keySerializer).connect(second.keyBy(secondKeys, keySerializer));
    }
}

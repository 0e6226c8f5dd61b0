package io.tidemark.pipeline;

import io.tidemark.pipeline.function.KeyedCoProcessFunction;
import io.tidemark.pipeline.operator.KeyedCoProcessOperator;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.serialization.StateSerializer;
import java.util.function.Supplier;

/**
 * Two keyed streams with one key type connected into one keyed operator ({@link KeyedStream#connect(KeyedStream)},
 * {@link ConnectedStreams#keyBy}): each is partitioned by its own key selector into the same key groups, so records of
 * both with equal keys reach the same instance. Cold path, the pipeline's building thread.
 *
 * @param <K> the key type
 * @param <A> the first stream's type
 * @param <B> the second stream's type
 */
public final class KeyedConnectedStreams<K, A, B> {
    private final Pipeline pipeline;
    private final PlanNode.Input first;
    private final PlanNode.Input second;
    private final StateSerializer<K> keySerializer;

    KeyedConnectedStreams(
            Pipeline pipeline, PlanNode.Input first, PlanNode.Input second, StateSerializer<K> keySerializer) {
        this.pipeline = pipeline;
        this.first = first;
        this.second = second;
        this.keySerializer = keySerializer;
    }

    /**
     * Runs {@code factory}'s function on {@code parallelism} instances (the default parallelism for 0 or less), each
     * owning a range of key groups: keyed state and timers are the instance's, shared by both inputs; a timer fires
     * with its key current whichever input registered it. The watermark is the minimum over both inputs; with
     * exactly-once checkpoints the barriers align across both.
     */
    public <OUT> DataStream<OUT> process(
            String name, Supplier<? extends KeyedCoProcessFunction<K, A, B, OUT>> factory, int parallelism) {
        PlanNode node = pipeline.addTwoInput(
                name,
                parallelism,
                first,
                second,
                keySerializer,
                () -> new KeyedCoProcessOperator<>(factory.get(), first.keySelector(), second.keySelector()));
        return new DataStream<>(pipeline, node);
    }
}

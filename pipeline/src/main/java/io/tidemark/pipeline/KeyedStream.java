package io.tidemark.pipeline;

import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.WindowAggregate;
import io.tidemark.pipeline.operator.KeyedProcessOperator;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.operator.TumblingWindowOperator;
import io.tidemark.serialization.StateSerializer;
import java.util.function.Supplier;

/** A stream partitioned by key group; the next operator gets keyed state and timers. */
public final class KeyedStream<K, T> {
    private final Pipeline pipeline;
    private final PlanNode input;
    private final OutputTag<?> inputTag;
    private final KeySelector<? super T, K> selector;
    private final StateSerializer<K> keySerializer;

    KeyedStream(
            Pipeline pipeline,
            PlanNode input,
            OutputTag<?> inputTag,
            KeySelector<? super T, K> selector,
            StateSerializer<K> serializer) {
        this.pipeline = pipeline;
        this.input = input;
        this.inputTag = inputTag;
        this.selector = selector;
        this.keySerializer = serializer;
    }

    /** Runs {@code factory}'s function on {@code parallelism} instances, each owning a range of key groups. */
    public <OUT> DataStream<OUT> process(
            String name, Supplier<? extends KeyedProcessFunction<K, T, OUT>> factory, int parallelism) {
        PlanNode node = pipeline.addNode(
                name,
                parallelism,
                input,
                PlanNode.Partitioning.KEY_GROUPS,
                selector,
                keySerializer,
                () -> new KeyedProcessOperator<>(factory.get()),
                inputTag);
        return new DataStream<>(pipeline, node);
    }

    /**
     * Event-time tumbling windows of {@code sizeMillis} (window start = {@code ts - ts % size}), aggregated
     * incrementally; a window fires once the watermark passes its last millisecond. Records behind the watermark are
     * dropped and counted.
     */
    public <ACC, OUT> DataStream<OUT> tumblingWindow(
            String name,
            long sizeMillis,
            Supplier<? extends WindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism) {
        return tumblingWindow(name, sizeMillis, aggregate, parallelism, null);
    }

    /**
     * As {@link #tumblingWindow(String, long, Supplier, int)}, with the records behind the watermark sent to side
     * output {@code lateData} (read it with {@code sideOutput(lateData)} on the returned stream) instead of dropped;
     * they are counted either way.
     */
    public <ACC, OUT> DataStream<OUT> tumblingWindow(
            String name,
            long sizeMillis,
            Supplier<? extends WindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism,
            OutputTag<T> lateData) {
        PlanNode node = pipeline.addNode(
                name,
                parallelism,
                input,
                PlanNode.Partitioning.KEY_GROUPS,
                selector,
                keySerializer,
                () -> new KeyedProcessOperator<>(new TumblingWindowOperator<>(sizeMillis, aggregate.get(), lateData)),
                inputTag);
        return new DataStream<>(pipeline, node);
    }
}

package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.WindowAggregate;
import io.tidemark.pipeline.operator.EventTimeWindowOperator;
import io.tidemark.pipeline.operator.KeyedProcessOperator;
import io.tidemark.pipeline.operator.PlanNode;
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
        return keyedNode(name, parallelism, factory);
    }

    /**
     * Event-time tumbling windows of {@code sizeMillis} (window start = {@code ts - ts % size}), aggregated
     * incrementally; a window fires once the watermark passes its last millisecond. A record whose window has fired
     * is late: dropped and counted.
     */
    public <ACC, OUT> DataStream<OUT> tumblingWindow(
            String name,
            long sizeMillis,
            Supplier<? extends WindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism) {
        return tumblingWindow(name, sizeMillis, aggregate, parallelism, null);
    }

    /**
     * As {@link #tumblingWindow(String, long, Supplier, int)}, with late records (their window has fired) sent to
     * side output {@code lateData} (read it with {@code sideOutput(lateData)} on the returned stream) instead of
     * dropped; they are counted either way.
     */
    public <ACC, OUT> DataStream<OUT> tumblingWindow(
            String name,
            long sizeMillis,
            Supplier<? extends WindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism,
            OutputTag<T> lateData) {
        return slidingWindow(name, sizeMillis, sizeMillis, aggregate, parallelism, lateData, 0);
    }

    /**
     * As {@link #tumblingWindow(String, long, Supplier, int, OutputTag)}, with an allowed lateness: a window keeps its
     * state for {@code allowedLatenessMillis} after its end (by the watermark); a record for it in that time updates it
     * and the window emits its updated result at once; only records later than that are late.
     */
    public <ACC, OUT> DataStream<OUT> tumblingWindow(
            String name,
            long sizeMillis,
            Supplier<? extends WindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism,
            OutputTag<T> lateData,
            long allowedLatenessMillis) {
        return slidingWindow(name, sizeMillis, sizeMillis, aggregate, parallelism, lateData, allowedLatenessMillis);
    }

    /**
     * Event-time sliding windows: {@code sizeMillis} long, one starting every {@code slideMillis} (window starts are
     * multiples of the slide), aggregated incrementally per window; a record is added to each of the {@code size /
     * slide} windows that contain its timestamp and have not fired; a window fires once the watermark passes its last
     * millisecond. A record all of whose windows have fired is late: counted, and sent to side output {@code lateData}
     * when it is not {@code null}, else dropped.
     *
     * @throws io.tidemark.ConfigurationException if the size is not positive or the slide is not in {@code [1, size]}
     */
    public <ACC, OUT> DataStream<OUT> slidingWindow(
            String name,
            long sizeMillis,
            long slideMillis,
            Supplier<? extends WindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism,
            OutputTag<T> lateData) {
        return slidingWindow(name, sizeMillis, slideMillis, aggregate, parallelism, lateData, 0);
    }

    /**
     * As {@link #slidingWindow(String, long, long, Supplier, int, OutputTag)}, with an allowed lateness (see {@link
     * #tumblingWindow(String, long, Supplier, int, OutputTag, long)}).
     *
     * @throws io.tidemark.ConfigurationException if the size is not positive, the slide is not in {@code [1, size]} or
     *     the lateness is negative
     */
    public <ACC, OUT> DataStream<OUT> slidingWindow(
            String name,
            long sizeMillis,
            long slideMillis,
            Supplier<? extends WindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism,
            OutputTag<T> lateData,
            long allowedLatenessMillis) {
        EventTimeWindowOperator.checkShape(sizeMillis, slideMillis, allowedLatenessMillis);
        return keyedNode(
                name,
                parallelism,
                () -> new EventTimeWindowOperator<>(
                        sizeMillis, slideMillis, aggregate.get(), lateData, allowedLatenessMillis));
    }

    /**
     * Connects this stream with {@code other}, a keyed stream with the same key type: both are partitioned into the
     * same key groups, each by its own key selector, so a {@link io.tidemark.pipeline.function.KeyedCoProcessFunction}
     * sees the records of both with equal keys on one instance, with keyed state and timers shared by both inputs.
     *
     * @throws io.tidemark.ConfigurationException if {@code other} belongs to another pipeline or has a key serializer
     *     of another class
     */
    public <B> KeyedConnectedStreams<K, T, B> connect(KeyedStream<K, B> other) {
        if (other.pipeline != pipeline) {
            throw new ConfigurationException(
                    "connect of streams of two pipelines: first=" + input.name() + ", second=" + other.input.name());
        }
        if (other.keySerializer.getClass() != keySerializer.getClass()) {
            throw new ConfigurationException("connected keyed streams need one key serializer: first=" + input.name()
                    + ", keySerializer=" + keySerializer.getClass().getName() + ", second=" + other.input.name()
                    + ", keySerializer=" + other.keySerializer.getClass().getName());
        }
        return new KeyedConnectedStreams<>(pipeline, keyedInput(), other.keyedInput(), keySerializer);
    }

    /**
     * Connects this stream with a broadcast stream, for a {@link
     * io.tidemark.pipeline.function.KeyedBroadcastProcessFunction}: this stream's records reach the instance owning
     * their key group, the broadcast stream's every instance.
     *
     * @throws io.tidemark.ConfigurationException if {@code broadcast} belongs to another pipeline
     */
    public <B> KeyedBroadcastConnectedStreams<K, T, B> connect(BroadcastStream<B> broadcast) {
        return new KeyedBroadcastConnectedStreams<>(this, broadcast);
    }

    /** This stream as the input of a keyed operator: partitioned by key group with this stream's selector. */
    PlanNode.Input keyedInput() {
        return new PlanNode.Input(input, inputTag, PlanNode.Partitioning.KEY_GROUPS, selector);
    }

    Pipeline pipeline() {
        return pipeline;
    }

    StateSerializer<K> keySerializer() {
        return keySerializer;
    }

    /** A keyed operator fed from this stream by key group, running the function {@code functions} creates. */
    private <OUT> DataStream<OUT> keyedNode(
            String name, int parallelism, Supplier<? extends KeyedProcessFunction<K, T, OUT>> functions) {
        PlanNode node = pipeline.addNode(
                name,
                parallelism,
                input,
                PlanNode.Partitioning.KEY_GROUPS,
                selector,
                keySerializer,
                () -> new KeyedProcessOperator<>(functions.get()),
                inputTag);
        return new DataStream<>(pipeline, node);
    }
}

package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.function.KeyedProcessFunction;
import io.tidemark.function.OutputTag;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.MergingWindowAggregate;
import io.tidemark.pipeline.function.WindowAggregate;
import io.tidemark.pipeline.function.WindowProcessing;
import io.tidemark.pipeline.operator.EventTimeWindowOperator;
import io.tidemark.pipeline.operator.KeyedProcessOperator;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.operator.SessionWindowOperator;
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

    /**
     * Event-time session windows: a record with timestamp {@code ts} opens the window {@code [ts, ts + gapMillis)};
     * windows of a key that overlap or touch merge into one session, so a session ends once its key sees no record for
     * {@code gapMillis} (records at most the gap apart share one). Aggregated incrementally; when a record bridges two
     * sessions the keyed state backend merges their accumulators with {@link MergingWindowAggregate#merge}. A session
     * fires once the watermark passes its last millisecond (its last record + gap - 1); the result's window is
     * {@code [first record, last record + gap)}. The live sessions of each key are keyed state, checkpointed, restored
     * and rescaled with it. A record whose own window {@code [ts, ts + gap)} ended before the watermark is late (its
     * session has fired and dropped its state): dropped and counted.
     *
     * @throws io.tidemark.ConfigurationException if the gap is not positive
     */
    public <ACC, OUT> DataStream<OUT> sessionWindow(
            String name,
            long gapMillis,
            Supplier<? extends MergingWindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism) {
        return sessionWindow(name, gapMillis, aggregate, parallelism, null, 0);
    }

    /**
     * As {@link #sessionWindow(String, long, Supplier, int)}, with late records sent to side output {@code lateData}
     * (read it with {@code sideOutput(lateData)} on the returned stream) instead of dropped; they are counted either
     * way.
     */
    public <ACC, OUT> DataStream<OUT> sessionWindow(
            String name,
            long gapMillis,
            Supplier<? extends MergingWindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism,
            OutputTag<T> lateData) {
        return sessionWindow(name, gapMillis, aggregate, parallelism, lateData, 0);
    }

    /**
     * As {@link #sessionWindow(String, long, Supplier, int, OutputTag)}, with an allowed lateness: a session keeps its
     * state for {@code allowedLatenessMillis} after its end (by the watermark); a record in that time joins it (merging
     * as usual) and a session that has fired emits its updated result at once; only a record whose own window {@code
     * [ts, ts + gap)} ended more than the lateness ago is late.
     *
     * @throws io.tidemark.ConfigurationException if the gap is not positive or the lateness is negative
     */
    public <ACC, OUT> DataStream<OUT> sessionWindow(
            String name,
            long gapMillis,
            Supplier<? extends MergingWindowAggregate<K, T, ACC, OUT>> aggregate,
            int parallelism,
            OutputTag<T> lateData,
            long allowedLatenessMillis) {
        SessionWindowOperator.checkShape(gapMillis, allowedLatenessMillis);
        return keyedNode(
                name,
                parallelism,
                () -> new SessionWindowOperator<>(gapMillis, aggregate.get(), lateData, allowedLatenessMillis));
    }

    /**
     * Event-time tumbling windows (as {@link #tumblingWindow(String, long, Supplier, int)}) evaluated by a {@link
     * io.tidemark.pipeline.function.ProcessWindowFunction}: alone, over all the window's elements ({@link
     * WindowProcessing#process}), or after an incremental aggregate, over its result ({@link
     * WindowProcessing#aggregate}). The function is called once per firing with the key, a context (window bounds,
     * watermark, side outputs, per-window and global keyed state) and the contents.
     */
    public <OUT> DataStream<OUT> tumblingWindow(
            String name, long sizeMillis, WindowProcessing<K, T, OUT> processing, int parallelism) {
        return slidingWindow(name, sizeMillis, sizeMillis, processing, parallelism, null, 0);
    }

    /** As {@link #tumblingWindow(String, long, WindowProcessing, int)}, with late records sent to {@code lateData}. */
    public <OUT> DataStream<OUT> tumblingWindow(
            String name,
            long sizeMillis,
            WindowProcessing<K, T, OUT> processing,
            int parallelism,
            OutputTag<T> lateData) {
        return slidingWindow(name, sizeMillis, sizeMillis, processing, parallelism, lateData, 0);
    }

    /**
     * As {@link #tumblingWindow(String, long, WindowProcessing, int, OutputTag)}, with an allowed lateness (see {@link
     * #tumblingWindow(String, long, Supplier, int, OutputTag, long)}): a record within it makes the window fire again,
     * calling the function with the updated contents.
     */
    public <OUT> DataStream<OUT> tumblingWindow(
            String name,
            long sizeMillis,
            WindowProcessing<K, T, OUT> processing,
            int parallelism,
            OutputTag<T> lateData,
            long allowedLatenessMillis) {
        return slidingWindow(name, sizeMillis, sizeMillis, processing, parallelism, lateData, allowedLatenessMillis);
    }

    /**
     * Event-time sliding windows (as {@link #slidingWindow(String, long, long, Supplier, int, OutputTag)}) evaluated
     * by a process window function; see {@link #tumblingWindow(String, long, WindowProcessing, int)}. Alone, the
     * function's elements are buffered once per window (size / slide copies of each record).
     *
     * @throws io.tidemark.ConfigurationException if the size is not positive or the slide is not in {@code [1, size]}
     */
    public <OUT> DataStream<OUT> slidingWindow(
            String name,
            long sizeMillis,
            long slideMillis,
            WindowProcessing<K, T, OUT> processing,
            int parallelism,
            OutputTag<T> lateData) {
        return slidingWindow(name, sizeMillis, slideMillis, processing, parallelism, lateData, 0);
    }

    /**
     * As {@link #slidingWindow(String, long, long, WindowProcessing, int, OutputTag)}, with an allowed lateness.
     *
     * @throws io.tidemark.ConfigurationException if the size is not positive, the slide is not in {@code [1, size]} or
     *     the lateness is negative
     */
    public <OUT> DataStream<OUT> slidingWindow(
            String name,
            long sizeMillis,
            long slideMillis,
            WindowProcessing<K, T, OUT> processing,
            int parallelism,
            OutputTag<T> lateData,
            long allowedLatenessMillis) {
        EventTimeWindowOperator.checkShape(sizeMillis, slideMillis, allowedLatenessMillis);
        return keyedNode(
                name,
                parallelism,
                () -> new EventTimeWindowOperator<>(
                        sizeMillis, slideMillis, processing, lateData, allowedLatenessMillis));
    }

    /**
     * Event-time session windows (as {@link #sessionWindow(String, long, Supplier, int)}) evaluated by a process window
     * function: alone, it gets the session's elements (the backend concatenates the element lists of merging sessions);
     * after an incremental aggregate, its result (the backend merges the accumulators with the aggregate's {@code
     * merge}). Sessions offer no per-window state ({@code windowState()} throws), as their windows merge.
     */
    public <OUT> DataStream<OUT> sessionWindow(
            String name, long gapMillis, WindowProcessing<K, T, OUT> processing, int parallelism) {
        return sessionWindow(name, gapMillis, processing, parallelism, null, 0);
    }

    /** As {@link #sessionWindow(String, long, WindowProcessing, int)}, with late records sent to {@code lateData}. */
    public <OUT> DataStream<OUT> sessionWindow(
            String name,
            long gapMillis,
            WindowProcessing<K, T, OUT> processing,
            int parallelism,
            OutputTag<T> lateData) {
        return sessionWindow(name, gapMillis, processing, parallelism, lateData, 0);
    }

    /**
     * As {@link #sessionWindow(String, long, WindowProcessing, int, OutputTag)}, with an allowed lateness (see {@link
     * #sessionWindow(String, long, Supplier, int, OutputTag, long)}).
     *
     * @throws io.tidemark.ConfigurationException if the gap is not positive or the lateness is negative
     */
    public <OUT> DataStream<OUT> sessionWindow(
            String name,
            long gapMillis,
            WindowProcessing<K, T, OUT> processing,
            int parallelism,
            OutputTag<T> lateData,
            long allowedLatenessMillis) {
        SessionWindowOperator.checkShape(gapMillis, allowedLatenessMillis);
        return keyedNode(
                name,
                parallelism,
                () -> new SessionWindowOperator<>(gapMillis, processing, lateData, allowedLatenessMillis));
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

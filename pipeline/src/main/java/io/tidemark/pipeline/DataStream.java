package io.tidemark.pipeline;

import io.tidemark.ConfigurationException;
import io.tidemark.function.OutputTag;
import io.tidemark.keygroup.StableKeyHash;
import io.tidemark.pipeline.function.FilterFunction;
import io.tidemark.pipeline.function.FlatMapFunction;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.LongKeySelector;
import io.tidemark.pipeline.function.MapFunction;
import io.tidemark.pipeline.function.RecordCopier;
import io.tidemark.pipeline.function.SinkFunction;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.operator.SimpleOperators;
import io.tidemark.pipeline.operator.SinkOperator;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.MapStateDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A stream of records of type {@code T}, produced by one operator. Transformations keep the producer's parallelism
 * unless given one; records go to the instance of the same index when parallelisms match, round robin otherwise.
 */
public class DataStream<T> {
    protected final Pipeline pipeline;
    protected final PlanNode node;
    /** The side output of {@link #node} this stream is, or {@code null} for its main output. */
    protected final OutputTag<?> tag;

    DataStream(Pipeline pipeline, PlanNode node) {
        this(pipeline, node, null);
    }

    private DataStream(Pipeline pipeline, PlanNode node, OutputTag<?> tag) {
        this.pipeline = pipeline;
        this.node = node;
        this.tag = tag;
    }

    /**
     * The records this stream's operator sends to side output {@code tag} ({@code ctx.output(tag, value)} in a keyed
     * process function; late records of a window with a late-data tag), as a stream of their own. Its consumers get
     * every watermark, barrier and end of input of the operator, as main-output consumers do; an operator that sends
     * nothing there leaves the stream empty.
     */
    public <X> DataStream<X> sideOutput(OutputTag<X> sideTag) {
        if (tag != null) {
            throw new ConfigurationException("a side output has no side outputs: operator=" + node.name() + ", stream="
                    + tag.id() + ", asked=" + sideTag.id());
        }
        return new DataStream<>(pipeline, node, sideTag);
    }

    public PlanNode node() {
        return node;
    }

    public <R> DataStream<R> map(String name, MapFunction<? super T, ? extends R> fn) {
        return map(name, fn, node.parallelism());
    }

    public <R> DataStream<R> map(String name, MapFunction<? super T, ? extends R> fn, int parallelism) {
        return next(name, parallelism, () -> SimpleOperators.map(fn));
    }

    public DataStream<T> filter(String name, FilterFunction<? super T> fn) {
        return next(name, node.parallelism(), () -> SimpleOperators.filter(fn));
    }

    public <R> DataStream<R> flatMap(String name, FlatMapFunction<? super T, R> fn) {
        return flatMap(name, fn, node.parallelism());
    }

    public <R> DataStream<R> flatMap(String name, FlatMapFunction<? super T, R> fn, int parallelism) {
        return next(name, parallelism, () -> SimpleOperators.flatMap(fn));
    }

    /**
     * Partitions by key group: every record with the same key reaches the same instance downstream. The key needs a
     * hash that is the same in every JVM, or its state would move to other key groups after a restart.
     *
     * @throws io.tidemark.ConfigurationException if the key serializer reveals a key type without a stable hash (an
     *     enum, an array, a class inheriting {@code Object.hashCode}, a record with such a component, see {@link
     *     StableKeyHash}); key classes a custom serializer hides are checked by the keyed backend on their first key
     */
    public <K> KeyedStream<K, T> keyBy(KeySelector<? super T, K> selector, StateSerializer<K> keySerializer) {
        StableKeyHash.checkKeySerializer(keySerializer, "keyBy after " + node.name());
        return new KeyedStream<>(pipeline, node, tag, selector, keySerializer);
    }

    /**
     * Partitions by a primitive {@code long} key (serialized with {@link LongSerializer}): no key object is created on
     * the record path, from the exchange to the keyed state backend.
     */
    public KeyedStream<Long, T> keyBy(LongKeySelector<? super T> selector) {
        final LongKeySelector<T> exact = selector::getLongKey;
        return new KeyedStream<>(pipeline, node, tag, exact, LongSerializer.INSTANCE);
    }

    /**
     * Makes records of this stream cross rings by copy into pre-allocated slots instead of by reference, so a source
     * (or operator) that fills one mutable record object and emits it again and again allocates nothing per record:
     * every ring slot holds a record made by {@code factory}, and {@code copier} copies each emitted record into its
     * slot. The producer may reuse a record after emitting it. A consumer across a ring receives the slot's object,
     * valid until its function returns: copy what it keeps. Operators chained to this one (same parallelism, no
     * {@code keyBy}) receive the emitted object itself, as without slots. Call it right after creating the stream,
     * before anything consumes it.
     *
     * @throws io.tidemark.ConfigurationException if the stream already has consumers
     */
    public DataStream<T> copyRecords(Supplier<T> factory, RecordCopier<T> copier) {
        if (tag != null) {
            throw new ConfigurationException("copyRecords applies to an operator's main output: operator=" + node.name()
                    + ", stream=" + tag.id());
        }
        return new DataStream<>(
                pipeline, pipeline.replace(node, node.withRecordSlots(new PlanNode.RecordSlots<>(factory, copier))));
    }

    /**
     * Merges this stream with {@code others} (same record type) into one stream, at this stream's parallelism: a union
     * operator named {@code name} receives the records of every input (forward: same index at equal parallelism, round
     * robin otherwise) and passes them on in arrival order, with their timestamps; its watermark is the minimum over
     * its inputs, and with exactly-once checkpoints it aligns barriers across all of them. Its records then flow to
     * what follows as from any operator ({@code keyBy}, {@code map} chained onto it, ...).
     */
    @SafeVarargs
    public final DataStream<T> union(String name, DataStream<T>... others) {
        return union(name, node.parallelism(), others);
    }

    /** As {@link #union(String, DataStream[])}, with {@code parallelism} union instances. */
    @SafeVarargs
    public final DataStream<T> union(String name, int parallelism, DataStream<T>... others) {
        if (others.length == 0) {
            throw new ConfigurationException("union needs at least one other stream: operator=" + name);
        }
        List<PlanNode.Input> inputs = new ArrayList<>();
        inputs.add(new PlanNode.Input(node, tag));
        for (DataStream<T> other : others) {
            if (other.pipeline != pipeline) {
                throw new ConfigurationException("union of streams of two pipelines: operator=" + name);
            }
            inputs.add(new PlanNode.Input(other.node, other.tag));
        }
        return new DataStream<>(pipeline, pipeline.addUnion(name, parallelism, inputs));
    }

    /**
     * Connects this stream with {@code other}, of another record type maybe, into one operator: process the pair with
     * a {@link io.tidemark.pipeline.function.CoProcessFunction}, or key both first ({@link ConnectedStreams#keyBy}).
     *
     * @throws ConfigurationException if {@code other} belongs to another pipeline
     */
    public <B> ConnectedStreams<T, B> connect(DataStream<B> other) {
        return new ConnectedStreams<>(this, other);
    }

    /**
     * Connects this stream with a broadcast stream, for a {@link
     * io.tidemark.pipeline.function.BroadcastProcessFunction}: this stream's records reach the operator's instances
     * forward (round robin at another parallelism), the broadcast stream's every instance.
     *
     * @throws ConfigurationException if {@code broadcast} belongs to another pipeline
     */
    public <B> BroadcastConnectedStreams<T, B> connect(BroadcastStream<B> broadcast) {
        return new BroadcastConnectedStreams<>(this, broadcast);
    }

    /**
     * This stream as a broadcast stream: connected to another stream, its every record goes to every instance of the
     * connected operator, which keeps one broadcast state (operator state, a map) per descriptor in {@code
     * descriptors}. Rings carry records by reference unless the stream copies them into slots ({@link
     * #copyRecords}), so every instance may get the same object: broadcast immutable records, or records no function
     * changes.
     *
     * @throws ConfigurationException if a descriptor is null or two have the same name
     */
    public BroadcastStream<T> broadcast(MapStateDescriptor<?, ?>... descriptors) {
        List<MapStateDescriptor<?, ?>> declared = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (MapStateDescriptor<?, ?> descriptor : descriptors) {
            if (descriptor == null || !names.add(descriptor.name())) {
                throw new ConfigurationException("broadcast state descriptor missing or its name not unique: stream="
                        + node.name() + ", state=" + (descriptor == null ? null : descriptor.name()));
            }
            declared.add(descriptor);
        }
        return new BroadcastStream<>(
                pipeline, new PlanNode.Input(node, tag, PlanNode.Partitioning.BROADCAST, null), declared);
    }

    /** Ends the stream in a sink with {@code parallelism} instances, each created by {@code factory}. */
    public void sink(String name, Supplier<? extends SinkFunction<T>> factory, int parallelism) {
        pipeline.addNode(
                name,
                parallelism,
                node,
                PlanNode.Partitioning.FORWARD,
                null,
                null,
                () -> new SinkOperator<>(factory.get()),
                tag);
    }

    private <R> DataStream<R> next(String name, int parallelism, PlanNode.OperatorFactory factory) {
        return new DataStream<>(
                pipeline,
                pipeline.addNode(name, parallelism, node, PlanNode.Partitioning.FORWARD, null, null, factory, tag));
    }
}

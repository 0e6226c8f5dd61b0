package io.tidemark.pipeline.function;

import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;
import io.tidemark.state.MapState;
import io.tidemark.state.MapStateDescriptor;

/**
 * Processes a stream connected with a broadcast stream ({@code DataStream.connect(BroadcastStream)}): every instance
 * gets every record of the broadcast stream ({@link #processBroadcastElement}, which may write the broadcast state)
 * and its share of the other stream ({@link #processElement}, which may only read it). Broadcast state is operator
 * state, one map per descriptor given to {@code DataStream.broadcast}; it is checkpointed and restored, at any
 * parallelism (every new instance gets the map of old instance 0). For it to stay the same on every instance, {@link
 * #processBroadcastElement} must update it the same way on each: from the broadcast record alone, never from the
 * instance's index or its share of the other stream. Every method runs on the instance's operator thread; the
 * function never sees concurrent calls. A broadcast record is one object shared by every instance when rings carry
 * references: read it, never change it.
 *
 * @param <IN1> the (non-broadcast) input's type
 * @param <IN2> the broadcast input's type
 * @param <OUT> the output type
 */
public abstract class BroadcastProcessFunction<IN1, IN2, OUT> {
    /** Called once before the first record, after state was restored. */
    public void open(RuntimeContext context) throws Exception {}

    /** Called for each record of the non-broadcast input; reads the broadcast state. */
    public abstract void processElement(IN1 value, ReadOnlyContext ctx, Collector<OUT> out) throws Exception;

    /** Called on every instance for each record of the broadcast input; reads and writes the broadcast state. */
    public abstract void processBroadcastElement(IN2 value, Context ctx, Collector<OUT> out) throws Exception;

    /** Called once after the last record or on cancellation. */
    public void close() throws Exception {}

    /** What both process methods may ask about the current record. Valid during the call only. */
    public interface BaseContext {
        /** The record's event timestamp, or {@link Long#MIN_VALUE} when it has none. */
        long timestamp();

        /** The instance's watermark: the minimum over both inputs. */
        long currentWatermark();

        /** Emits {@code value} to the side output {@code tag}, with the current record's timestamp. */
        <X> void output(OutputTag<X> tag, X value);
    }

    /** The context of {@link #processElement}: the broadcast state, read only. */
    public interface ReadOnlyContext extends BaseContext {
        /**
         * The broadcast state of {@code descriptor}, read only; allocation-free.
         *
         * @throws io.tidemark.ConfigurationException if the broadcast stream was not declared with a descriptor of that
         *     name
         */
        <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
    }

    /** The context of {@link #processBroadcastElement}: the broadcast state, read and write. */
    public interface Context extends BaseContext {
        /**
         * The broadcast state of {@code descriptor}; allocation-free.
         *
         * @throws io.tidemark.ConfigurationException if the broadcast stream was not declared with a descriptor of that
         *     name
         */
        <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
    }
}

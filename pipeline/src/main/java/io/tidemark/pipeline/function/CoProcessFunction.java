package io.tidemark.pipeline.function;

import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import io.tidemark.function.RuntimeContext;

/**
 * Processes the records of two connected streams ({@code DataStream.connect}) of different types, one record at a
 * time, on one operator instance: {@link #processElement1} for the first stream, {@link #processElement2} for the
 * second, in the order they arrive (no order between the two inputs is promised). State shared by both inputs is
 * operator state ({@link io.tidemark.function.CheckpointedFunction}); for keyed state and timers connect keyed streams
 * ({@link KeyedCoProcessFunction}). Every method runs on the instance's operator thread; the function never sees
 * concurrent calls.
 *
 * @param <IN1> the first input's type
 * @param <IN2> the second input's type
 * @param <OUT> the output type
 */
public abstract class CoProcessFunction<IN1, IN2, OUT> {
    /** Called once before the first record, after state was restored. */
    public void open(RuntimeContext context) throws Exception {}

    /** Called for each record of the first input. */
    public abstract void processElement1(IN1 value, Context ctx, Collector<OUT> out) throws Exception;

    /** Called for each record of the second input. */
    public abstract void processElement2(IN2 value, Context ctx, Collector<OUT> out) throws Exception;

    /** Called once after the last record or on cancellation. */
    public void close() throws Exception {}

    /** What the process methods may ask about the current record. Valid during the call only. */
    public interface Context {
        /** The record's event timestamp, or {@link Long#MIN_VALUE} when it has none. */
        long timestamp();

        /** The instance's watermark: the minimum over both inputs. */
        long currentWatermark();

        /** Emits {@code value} to the side output {@code tag}, with the current record's timestamp. */
        <X> void output(OutputTag<X> tag, X value);
    }
}

package io.tidemark.pipeline.function;

import io.tidemark.ConfigurationException;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.AggregateFunction;
import java.util.function.Supplier;

/**
 * How a window computes its output with a {@link ProcessWindowFunction}: given to {@code KeyedStream.tumblingWindow},
 * {@code slidingWindow} and {@code sessionWindow} in place of a {@link WindowAggregate}. Either the function alone,
 * which sees every element of the window (kept as keyed list state, hence the element serializer), or after an
 * incremental {@link AggregateFunction}, which keeps one accumulator per window and hands the function its single
 * result (Flink's {@code aggregate(aggregateFunction, processWindowFunction)}).
 *
 * @param <K> the key type
 * @param <IN> the record type
 * @param <OUT> the output type
 */
public sealed interface WindowProcessing<K, IN, OUT> {
    /**
     * The function alone, over all the window's elements.
     *
     * @param elementSerializer serializes the buffered elements (window contents are keyed list state)
     * @throws ConfigurationException if an argument is missing
     */
    static <K, IN, OUT> WindowProcessing<K, IN, OUT> process(
            Supplier<? extends ProcessWindowFunction<IN, OUT, K>> function, StateSerializer<IN> elementSerializer) {
        return new Elements<>(function, elementSerializer);
    }

    /**
     * An incremental aggregate per window, whose result (at each firing) is the single element the function gets. For
     * session windows the aggregate's {@code merge} combines the accumulators of merging sessions.
     *
     * @throws ConfigurationException if an argument is missing
     */
    static <K, IN, ACC, R, OUT> WindowProcessing<K, IN, OUT> aggregate(
            Supplier<? extends AggregateFunction<IN, ACC, R>> aggregate,
            StateSerializer<ACC> accumulatorSerializer,
            Supplier<? extends ProcessWindowFunction<R, OUT, K>> function) {
        return new Aggregated<>(aggregate, accumulatorSerializer, function);
    }

    /** The function over every element; see {@link #process}. */
    record Elements<K, IN, OUT>(
            Supplier<? extends ProcessWindowFunction<IN, OUT, K>> function, StateSerializer<IN> elementSerializer)
            implements WindowProcessing<K, IN, OUT> {
        public Elements {
            require(function, "process window function");
            require(elementSerializer, "window element serializer");
        }
    }

    /** The function over an incremental aggregate's result; see {@link #aggregate}. */
    record Aggregated<K, IN, ACC, R, OUT>(
            Supplier<? extends AggregateFunction<IN, ACC, R>> aggregate,
            StateSerializer<ACC> accumulatorSerializer,
            Supplier<? extends ProcessWindowFunction<R, OUT, K>> function)
            implements WindowProcessing<K, IN, OUT> {
        public Aggregated {
            require(aggregate, "window aggregate function");
            require(accumulatorSerializer, "window accumulator serializer");
            require(function, "process window function");
        }
    }

    private static void require(Object argument, String what) {
        if (argument == null) {
            throw new ConfigurationException(what + " missing");
        }
    }
}

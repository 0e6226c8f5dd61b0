package io.tidemark.pipeline.function;

import io.tidemark.function.Collector;

/** One record in, any number out. Called on the operator thread. */
@FunctionalInterface
public interface FlatMapFunction<IN, OUT> {
    void flatMap(IN value, Collector<OUT> out) throws Exception;
}

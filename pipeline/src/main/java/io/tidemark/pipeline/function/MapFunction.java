package io.tidemark.pipeline.function;

/** One record in, one record out. Called on the operator thread. */
@FunctionalInterface
public interface MapFunction<IN, OUT> {
    OUT map(IN value) throws Exception;
}

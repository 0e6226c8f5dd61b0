package io.tidemark.pipeline.function;

/** Keeps the records for which it returns true. Called on the operator thread. */
@FunctionalInterface
public interface FilterFunction<T> {
    boolean filter(T value) throws Exception;
}

package io.tidemark.function;

/** Emits records downstream. Called on the operator thread only; the record may be reused after the call returns. */
@FunctionalInterface
public interface Collector<T> {
    void collect(T record);
}

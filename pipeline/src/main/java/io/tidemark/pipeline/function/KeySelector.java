package io.tidemark.pipeline.function;

/** Extracts the partition key of a record. Must be deterministic; the key needs a stable {@code hashCode()}. */
@FunctionalInterface
public interface KeySelector<T, K> {
    K getKey(T record);
}

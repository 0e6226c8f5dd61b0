package io.tidemark.pipeline.function;

/**
 * Copies a record into a pre-allocated one of the same type, for streams whose records cross rings by copy ({@link
 * io.tidemark.pipeline.DataStream#copyRecords}). Called on the producer's worker for each record; must not allocate
 * (that is its point) and must copy every field the consumers read.
 */
@FunctionalInterface
public interface RecordCopier<T> {
    void copy(T from, T to);
}

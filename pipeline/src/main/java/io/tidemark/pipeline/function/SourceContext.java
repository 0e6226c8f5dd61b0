package io.tidemark.pipeline.function;

/** How a source emits. Source thread only; records may be reused after the call returns only if immutable. */
public interface SourceContext<T> {
    void collect(T record, long timestamp);

    /** Emits a watermark: the source promises no more records with a timestamp below {@code watermark}. */
    void emitWatermark(long watermark);
}

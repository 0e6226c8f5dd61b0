package io.tidemark.pipeline.runtime;

import io.tidemark.function.Collector;

/**
 * Where an operator instance emits: every outgoing edge. Records carry the origin time of the input being processed
 * (for end-to-end latency). Operator thread only; allocation-free.
 */
public final class RecordOutput implements Collector<Object> {
    private final EdgeOutput[] edges;
    private long originNanos;
    private long timestamp = Long.MIN_VALUE;
    private long recordsOut;

    RecordOutput(EdgeOutput[] edges) {
        this.edges = edges;
    }

    /** Sets what the next emitted records inherit: the timestamp and origin time of the input being processed. */
    void setCurrent(long timestamp, long originNanos) {
        this.timestamp = timestamp;
        this.originNanos = originNanos;
    }

    long originNanos() {
        return originNanos;
    }

    public long recordsOut() {
        return recordsOut;
    }

    @Override
    public void collect(Object record) {
        emit(record, timestamp);
    }

    public void emit(Object record, long recordTimestamp) {
        recordsOut++;
        for (EdgeOutput edge : edges) {
            edge.emitRecord(record, recordTimestamp, originNanos);
        }
    }

    /** Sets the timestamp records emitted through {@link #collect} get (e.g. a firing timer's time). */
    void setTimestamp(long recordTimestamp) {
        this.timestamp = recordTimestamp;
    }

    public void emitWatermark(long watermark) {
        broadcast(StreamEvent.WATERMARK, watermark);
    }

    void broadcast(byte kind, long value) {
        for (EdgeOutput edge : edges) {
            edge.broadcast(kind, value, originNanos);
        }
    }
}

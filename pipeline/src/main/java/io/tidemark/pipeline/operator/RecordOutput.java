package io.tidemark.pipeline.operator;

import io.tidemark.function.Collector;

/**
 * Where an operator instance emits: every outgoing edge. Records carry the origin time of the input being processed
 * (for end-to-end latency). Operator thread only; allocation-free.
 */
public final class RecordOutput implements Collector<Object> {
    /**
     * One outgoing logical edge, implemented by the runtime's channels. Operator thread only. An abstract class rather
     * than an interface so that the per-record call stays a virtual (not an interface) dispatch.
     */
    public abstract static class Edge {
        /** Routes a record to the consumer instance that owns it. */
        public abstract void emitRecord(Object record, long timestamp, long originNanos);

        /** Sends a watermark to every consumer instance. */
        public abstract void broadcastWatermark(long watermark, long originNanos);

        /** Sends a control event (a kind of the runtime's channel events) to every consumer instance. */
        public abstract void broadcast(byte kind, long value, long originNanos);
    }

    private final Edge[] edges;
    private long originNanos;
    private long timestamp = Long.MIN_VALUE;
    private long recordsOut;

    /** Runtime: the output of one operator instance over its outgoing edges. */
    public RecordOutput(Edge[] edges) {
        this.edges = edges;
    }

    /** Sets what the next emitted records inherit: the timestamp and origin time of the input being processed. */
    public void setCurrent(long timestamp, long originNanos) {
        this.timestamp = timestamp;
        this.originNanos = originNanos;
    }

    /** The origin time of the input being processed. */
    public long originNanos() {
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
        for (Edge edge : edges) {
            edge.emitRecord(record, recordTimestamp, originNanos);
        }
    }

    /** Sets the timestamp records emitted through {@link #collect} get (e.g. a firing timer's time). */
    public void setTimestamp(long recordTimestamp) {
        this.timestamp = recordTimestamp;
    }

    public void emitWatermark(long watermark) {
        for (Edge edge : edges) {
            edge.broadcastWatermark(watermark, originNanos);
        }
    }

    /** Runtime: sends a control event (barrier, end of input) on every edge. */
    public void broadcast(byte kind, long value) {
        for (Edge edge : edges) {
            edge.broadcast(kind, value, originNanos);
        }
    }
}

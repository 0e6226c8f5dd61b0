package io.tidemark.pipeline.operator;

import io.tidemark.function.Collector;
import io.tidemark.function.OutputTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    /** Main and side edges: control events (watermarks, barriers, end of input) go to every consumer. */
    private final Edge[] all;

    private final String[] sideIds;
    private final Edge[][] sideEdges;
    private long originNanos;
    private long timestamp = Long.MIN_VALUE;
    private long recordsOut;

    /** Runtime: the output of one operator instance over its outgoing edges. */
    public RecordOutput(Edge[] edges) {
        this(edges, Map.of());
    }

    /**
     * Runtime: the output of one operator instance over its main edges and the edges of its side outputs, by tag id.
     */
    public RecordOutput(Edge[] edges, Map<String, Edge[]> sides) {
        this.edges = edges;
        this.sideIds = sides.keySet().toArray(new String[0]);
        this.sideEdges = new Edge[sideIds.length][];
        List<Edge> every = new ArrayList<>(List.of(edges));
        for (int i = 0; i < sideIds.length; i++) {
            sideEdges[i] = sides.get(sideIds[i]);
            every.addAll(List.of(sideEdges[i]));
        }
        this.all = every.toArray(new Edge[0]);
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

    /**
     * Emits {@code record} to the consumers of side output {@code tag}, with the current timestamp; nothing happens when
     * no operator consumes that side output.
     */
    public void emitSide(OutputTag<?> tag, Object record) {
        String id = tag.id();
        for (int i = 0; i < sideIds.length; i++) {
            if (sideIds[i].equals(id)) {
                recordsOut++;
                for (Edge edge : sideEdges[i]) {
                    edge.emitRecord(record, timestamp, originNanos);
                }
                return;
            }
        }
    }

    /** Sets the timestamp records emitted through {@link #collect} get (e.g. a firing timer's time). */
    public void setTimestamp(long recordTimestamp) {
        this.timestamp = recordTimestamp;
    }

    public void emitWatermark(long watermark) {
        for (Edge edge : all) {
            edge.broadcastWatermark(watermark, originNanos);
        }
    }

    /** Runtime: sends a control event (barrier, end of input) on every edge. */
    public void broadcast(byte kind, long value) {
        for (Edge edge : all) {
            edge.broadcast(kind, value, originNanos);
        }
    }
}

package io.tidemark.pipeline.runtime;

import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.pipeline.function.KeySelector;
import io.tidemark.pipeline.function.LongKeySelector;
import io.tidemark.pipeline.operator.RecordOutput;

/** The producer side of one logical edge: the channels to every consumer instance and how records pick one. */
abstract class EdgeOutput extends RecordOutput.Edge {
    protected final Channel[] channels;

    EdgeOutput(Channel[] channels) {
        this.channels = channels;
    }

    @Override
    public abstract void emitRecord(Object record, long timestamp, long originNanos);

    /** Control events (watermarks, barriers, end of input) go to every consumer. */
    @Override
    public final void broadcastWatermark(long watermark, long originNanos) {
        broadcast(StreamEvent.WATERMARK, watermark, originNanos);
    }

    @Override
    public final void broadcast(byte kind, long value, long originNanos) {
        for (Channel channel : channels) {
            channel.publish(kind, null, value, originNanos);
        }
    }

    static EdgeOutput forward(Channel channel) {
        return new EdgeOutput(new Channel[] {channel}) {
            @Override
            public void emitRecord(Object record, long timestamp, long originNanos) {
                channels[0].publish(StreamEvent.RECORD, record, timestamp, originNanos);
            }
        };
    }

    static EdgeOutput roundRobin(Channel[] channels) {
        return new EdgeOutput(channels) {
            private int next;

            @Override
            public void emitRecord(Object record, long timestamp, long originNanos) {
                channels[next].publish(StreamEvent.RECORD, record, timestamp, originNanos);
                next = next + 1 == channels.length ? 0 : next + 1;
            }
        };
    }

    /**
     * Sends every record to every consumer instance, the same object on each ring (or copied into each ring's slot on a
     * stream with record slots).
     */
    static EdgeOutput broadcast(Channel[] channels) {
        return new EdgeOutput(channels) {
            @Override
            public void emitRecord(Object record, long timestamp, long originNanos) {
                for (Channel channel : channels) {
                    channel.publish(StreamEvent.RECORD, record, timestamp, originNanos);
                }
            }
        };
    }

    /**
     * Routes by key group: {@code murmur(key.hashCode()) % maxParallelism}, then the owning instance, read from a table
     * of key group → instance built once (the same {@link KeyGroupAssignment#computeOperatorIndexForKeyGroup} values).
     */
    static EdgeOutput keyGroups(Channel[] channels, KeySelector<Object, Object> selector, int maxParallelism) {
        final Channel[] byKeyGroup = new Channel[maxParallelism];
        for (int keyGroup = 0; keyGroup < maxParallelism; keyGroup++) {
            byKeyGroup[keyGroup] = channels[
                    KeyGroupAssignment.computeOperatorIndexForKeyGroup(maxParallelism, channels.length, keyGroup)];
        }
        final Object untyped = selector;
        if (untyped instanceof LongKeySelector<?> longs) {
            @SuppressWarnings("unchecked")
            final LongKeySelector<Object> longKeys = (LongKeySelector<Object>) longs;
            return new EdgeOutput(channels) {
                @Override
                public void emitRecord(Object record, long timestamp, long originNanos) {
                    final int keyGroup = KeyGroupAssignment.computeKeyGroupForKeyHash(
                            Long.hashCode(longKeys.getLongKey(record)), maxParallelism);
                    byKeyGroup[keyGroup].publish(StreamEvent.RECORD, record, timestamp, originNanos);
                }
            };
        }
        return new EdgeOutput(channels) {
            @Override
            public void emitRecord(Object record, long timestamp, long originNanos) {
                int keyGroup = KeyGroupAssignment.assignToKeyGroup(selector.getKey(record), maxParallelism);
                byKeyGroup[keyGroup].publish(StreamEvent.RECORD, record, timestamp, originNanos);
            }
        };
    }
}

package io.tidemark.jmh.backend.agrona;

import io.tidemark.jmh.backend.BenchmarkBackend;
import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongValueState;
import io.tidemark.jmh.keys.KeySpace;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Agrona's open-addressing primitive maps: the on-heap upper bound for value state. 8-byte values live in a
 * {@link Long2LongHashMap} (no boxing, no serialization); larger values in a {@link Long2ObjectHashMap} of
 * {@code byte[]} held by reference.
 *
 * <p>Value state only: list and map state would have to be built on top, which is not a baseline.
 */
public final class AgronaBackend implements BenchmarkBackend {
    private static final float LOAD_FACTOR = 0.65f;

    private final String name;
    private final KeySpace keys;

    public AgronaBackend(String name, KeySpace keys) {
        this.name = name;
        this.keys = keys;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LongValueState longValueState() {
        Long2LongHashMap map = new Long2LongHashMap(capacity(), LOAD_FACTOR, Long.MIN_VALUE);
        return new LongValueState() {
            @Override
            public long get(int key) {
                return map.get(keys.key(key));
            }

            @Override
            public void put(int key, long value) {
                map.put(keys.key(key), value);
            }
        };
    }

    @Override
    public BytesValueState bytesValueState(int valueSize) {
        Long2ObjectHashMap<byte[]> map = new Long2ObjectHashMap<>(capacity(), LOAD_FACTOR);
        return new BytesValueState() {
            @Override
            public byte[] get(int key) {
                return map.get(keys.key(key));
            }

            @Override
            public void put(int key, byte[] value) {
                map.put(keys.key(key), value);
            }
        };
    }

    @Override
    public void close() {}

    private int capacity() {
        return (int) Math.min(1 << 30, (long) (keys.count() / LOAD_FACTOR) + 1);
    }
}

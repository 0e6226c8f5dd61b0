package io.tidemark.jmh.backend.agrona;

import io.tidemark.jmh.backend.BenchmarkBackend;
import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongValueState;
import io.tidemark.jmh.backend.PrimitiveLongValueState;
import io.tidemark.jmh.keys.KeySpace;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Agrona's open-addressing primitive maps: the on-heap upper bound for value state. 8-byte values live in a
 * {@link Long2LongHashMap} (no boxing, no serialization); larger values in a {@link Long2ObjectHashMap} of
 * {@code byte[]} held by reference.
 *
 * <p>Keys: the index-addressed states read the key space's shared {@code Long} objects and unbox them, exactly the
 * objects the Flink and Tidemark adapters hand to {@code setCurrentKey}, so the key-object cache miss is paid by every
 * backend alike; the primitive-key state takes {@code long} keys from the caller's {@code long[]}. Read-modify-write is
 * {@code get} then {@code put} (two probes): Agrona 2.6's {@code Long2LongHashMap} has no single-probe add.
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
        Long2LongHashMap map = newLongMap();
        Long[] boxed = keys.boxedKeys();
        return new LongValueState() {
            @Override
            public long get(int key) {
                return map.get(boxed[key].longValue());
            }

            @Override
            public void put(int key, long value) {
                map.put(boxed[key].longValue(), value);
            }
        };
    }

    @Override
    public PrimitiveLongValueState primitiveLongValueState() {
        Long2LongHashMap map = newLongMap();
        return new PrimitiveLongValueState() {
            @Override
            public long get(long key) {
                return map.get(key);
            }

            @Override
            public void put(long key, long value) {
                map.put(key, value);
            }

            @Override
            public long increment(long key) {
                long next = map.get(key) + 1;
                map.put(key, next);
                return next;
            }
        };
    }

    @Override
    public BytesValueState bytesValueState(int valueSize) {
        Long2ObjectHashMap<byte[]> map = new Long2ObjectHashMap<>(capacity(), LOAD_FACTOR);
        Long[] boxed = keys.boxedKeys();
        return new BytesValueState() {
            @Override
            public byte[] get(int key) {
                return map.get(boxed[key].longValue());
            }

            @Override
            public void put(int key, byte[] value) {
                map.put(boxed[key].longValue(), value);
            }
        };
    }

    @Override
    public void close() {}

    private Long2LongHashMap newLongMap() {
        return new Long2LongHashMap(capacity(), LOAD_FACTOR, Long.MIN_VALUE);
    }

    private int capacity() {
        return (int) Math.min(1 << 30, (long) (keys.count() / LOAD_FACTOR) + 1);
    }
}

package io.tidemark.jmh.backend.chronicle;

import io.tidemark.jmh.backend.BenchmarkBackend;
import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongValueState;
import io.tidemark.jmh.keys.KeySpace;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * A plain in-memory (off-heap, not persisted) Chronicle Map per state, used through its {@code Map} API with boxed
 * {@code Long} keys: the "raw Chronicle Map" baseline. Keys are the key space's shared {@code Long} objects, the ones
 * every other adapter reads; values are boxed per call.
 * {@code put} is configured not to return the previous value ({@code putReturnsNull}), Chronicle's own setting for
 * writers that do not need it: otherwise every write would deserialize and allocate the old value.
 *
 * <p>Value state only. Chronicle Map has no list or map values of its own; emulating them (a serialized list per key,
 * composite keys) would measure that emulation, so those benchmarks are not offered.
 */
public final class ChronicleMapBackend implements BenchmarkBackend {
    private final String name;
    private final KeySpace keys;
    private final Long[] boxedKeys;
    private ChronicleMap<Long, ?> map;

    public ChronicleMapBackend(String name, KeySpace keys) {
        this.name = name;
        this.keys = keys;
        this.boxedKeys = keys.boxedKeys();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LongValueState longValueState() {
        ChronicleMap<Long, Long> longs = ChronicleMap.of(Long.class, Long.class)
                .name("longValue")
                .entries(keys.count())
                .putReturnsNull(true)
                .create();
        map = longs;
        return new LongValueState() {
            @Override
            public long get(int key) {
                Long value = longs.get(boxedKeys[key]);
                return value == null ? Long.MIN_VALUE : value;
            }

            @Override
            public void put(int key, long value) {
                longs.put(boxedKeys[key], value);
            }
        };
    }

    @Override
    public BytesValueState bytesValueState(int valueSize) {
        ChronicleMap<Long, byte[]> bytes = ChronicleMap.of(Long.class, byte[].class)
                .name("bytesValue")
                .entries(keys.count())
                .constantValueSizeBySample(new byte[valueSize])
                .putReturnsNull(true)
                .create();
        map = bytes;
        byte[] buffer = new byte[valueSize];
        return new BytesValueState() {
            @Override
            public byte[] get(int key) {
                // getUsing reads into the caller's array when the sizes match: no allocation per read
                return bytes.getUsing(boxedKeys[key], buffer);
            }

            @Override
            public void put(int key, byte[] value) {
                bytes.put(boxedKeys[key], value);
            }
        };
    }

    @Override
    public void close() {
        if (map != null) {
            map.close();
        }
    }
}

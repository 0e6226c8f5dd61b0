package io.tidemark.jmh.state;

import io.tidemark.jmh.backend.PrimitiveLongValueState;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The trading-system case: {@code long} keys, never boxed. Tidemark's {@code LongValueState} selected through
 * {@code KeyedStateBackend.setCurrentKey(long)} against Agrona's {@code Long2LongHashMap}, both reading their keys from
 * the same {@code long[]} at the same pre-generated indexes. {@code longReadModifyWrite} is Tidemark's {@code add(1)}
 * and Agrona's {@code get} + {@code put}; {@code longGet} reads the value.
 *
 * <p>Backends: {@code tidemarkOffheap} and {@code agrona}; {@code tidemarkHeap} works too (its
 * {@code setCurrentKey(long)} is the boxing default).
 */
public class PrimitiveKeyBenchmark extends KeyedStateBenchmark {
    @Param({"tidemarkOffheap", "agrona"})
    public String backend;

    private PrimitiveLongValueState longs;
    private long[] keys;

    @Setup
    public void setUp() throws Exception {
        var opened = openBackend(backend);
        longs = opened.primitiveLongValueState();
        keys = keySpace().primitiveKeys();
        SplittableRandom random = new SplittableRandom(keyCount);
        for (long key : keys) {
            longs.put(key, random.nextLong());
        }
        opened.loaded();
    }

    @Benchmark
    public long longGet() {
        return longs.get(keys[nextKey()]);
    }

    @Benchmark
    public long longReadModifyWrite() {
        return longs.increment(keys[nextKey()]);
    }
}

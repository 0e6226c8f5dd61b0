package io.tidemark.jmh.state;

import io.tidemark.jmh.backend.BytesValueState;
import io.tidemark.jmh.backend.LongValueState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Value state: read, overwrite, and read-modify-write (+1 on the long in the first 8 bytes) of one value per key. With
 * {@code valueSize=8} the value is a {@code long}; any larger size is a {@code byte[]} of that length.
 */
public class ValueStateBenchmark extends KeyedStateBenchmark {
    private static final VarHandle LONG_AT =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @Param({
        "tidemarkOffheap",
        "tidemarkOffheapBoxed",
        "tidemarkHeap",
        "tidemarkChronicle",
        "tidemarkFlink",
        "flinkHeap",
        "flinkRocksdb",
        "chronicleMap",
        "agrona"
    })
    public String backend;

    @Param({"8", "100"})
    public int valueSize;

    private LongValueState longs;
    private BytesValueState bytes;
    private byte[] payload;
    private long written;

    @Setup
    public void setUp() throws Exception {
        if (valueSize < Long.BYTES) {
            throw new IllegalArgumentException("value size below 8 bytes: valueSize=" + valueSize);
        }
        var opened = openBackend(backend);
        SplittableRandom random = new SplittableRandom(keyCount);
        if (valueSize == Long.BYTES) {
            longs = opened.longValueState();
            for (int key = 0; key < keyCount; key++) {
                longs.put(key, random.nextLong());
            }
        } else {
            bytes = opened.bytesValueState(valueSize);
            for (int key = 0; key < keyCount; key++) {
                bytes.put(key, randomBytes(random));
            }
            payload = randomBytes(random);
        }
        opened.loaded();
    }

    @Benchmark
    public void valueGet(Blackhole bh) throws Exception {
        int key = nextKey();
        if (longs != null) {
            bh.consume(longs.get(key));
        } else {
            bh.consume(bytes.get(key));
        }
    }

    @Benchmark
    public void valueUpdate() throws Exception {
        int key = nextKey();
        if (longs != null) {
            longs.put(key, ++written);
        } else {
            // the same array for every key: heap backends keep it by reference, so it is never changed
            bytes.put(key, payload);
        }
    }

    @Benchmark
    public void valueReadModifyWrite() throws Exception {
        int key = nextKey();
        if (longs != null) {
            longs.increment(key);
        } else {
            byte[] value = bytes.get(key);
            LONG_AT.set(value, 0, (long) LONG_AT.get(value, 0) + 1);
            bytes.put(key, value);
        }
    }

    private byte[] randomBytes(SplittableRandom random) {
        byte[] value = new byte[valueSize];
        for (int i = 0; i < valueSize; i += Long.BYTES) {
            long word = random.nextLong();
            for (int b = i; b < Math.min(i + Long.BYTES, valueSize); b++) {
                value[b] = (byte) (word >>> (8 * (b - i)));
            }
        }
        return value;
    }
}

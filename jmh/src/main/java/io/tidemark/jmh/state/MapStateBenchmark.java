package io.tidemark.jmh.state;

import io.tidemark.jmh.backend.LongMapState;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Map state of long user keys to long values: get, put (overwrite) and contains of one user key, and iteration over
 * all entries of a key's map (one operation = one whole map of {@code mapSize} entries). Every key starts with
 * {@code mapSize} user keys; {@code mapContains} asks for present and absent user keys in turn.
 *
 * <p>Backends: Flink's only. Chronicle Map and Agrona have no map values (see {@code docs/benchmarks.md}).
 */
public class MapStateBenchmark extends KeyedStateBenchmark {
    @Param({"tidemarkOffheap", "tidemarkHeap", "flinkHeap", "flinkRocksdb"})
    public String backend;

    @Param({"10"})
    public int mapSize;

    private LongMapState map;
    private int userKey;
    private int probedUserKey;
    private long written;

    @Setup
    public void setUp() throws Exception {
        var opened = openBackend(backend);
        // user keys [mapSize, 2 * mapSize) exist as objects but are never put: the misses of mapContains
        map = opened.longMapState(2 * mapSize);
        SplittableRandom random = new SplittableRandom(keyCount);
        for (int key = 0; key < keyCount; key++) {
            for (int i = 0; i < mapSize; i++) {
                map.put(key, i, random.nextLong());
            }
        }
        opened.loaded();
    }

    @Benchmark
    public long mapGet() throws Exception {
        return map.get(nextKey(), nextUserKey());
    }

    @Benchmark
    public void mapPut() throws Exception {
        map.put(nextKey(), nextUserKey(), ++written);
    }

    @Benchmark
    public boolean mapContains() throws Exception {
        if (++probedUserKey == 2 * mapSize) {
            probedUserKey = 0;
        }
        return map.contains(nextKey(), probedUserKey);
    }

    @Benchmark
    public long mapIterate() throws Exception {
        return map.sum(nextKey());
    }

    private int nextUserKey() {
        if (++userKey == mapSize) {
            userKey = 0;
        }
        return userKey;
    }
}

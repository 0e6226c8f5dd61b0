package io.tidemark.jmh.state;

import io.tidemark.jmh.backend.LongMapState;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Map state of long user keys to long values: get, put (overwrite) and contains of one user key, and iteration over
 * all entries of a key's map (one operation = one whole map of {@code mapSize} entries). Every key starts with
 * {@code mapSize} user keys {@code 0..mapSize-1}, loaded with one {@code putAll} per key or, with
 * {@code mapLoad=put}, one {@code put} per entry (not measured); {@code mapGet}
 * and {@code mapPut} take the user key of each operation from a pre-generated sequence, uniformly at random among the
 * map's {@code mapSize} user keys (so every {@code mapPut} overwrites an existing entry and the maps keep their size);
 * {@code mapContains} asks for present and absent user keys in turn. User key objects are the key space's shared
 * {@code Long}s ({@code KeySpace.boxedUserKeys}), the same for every backend.
 *
 * <p>Backends: Tidemark's and Flink's (Flink's three through Flink's state API). Chronicle Map and Agrona have no map values (see {@code docs/benchmarks.md}).
 */
public class MapStateBenchmark extends KeyedStateBenchmark {
    @Param({"tidemarkOffheap", "tidemarkHeap", "tidemarkFlink", "flinkHeap", "flinkRocksdb"})
    public String backend;

    @Param({"10"})
    public int mapSize;

    /**
     * How maps are loaded (not measured): {@code putAll}, one call per key with all its entries, or {@code put}, one
     * call per entry, key by key (what a job that builds its maps one event at a time leaves behind; slow to load on a
     * store whose put rewrites the whole map).
     */
    @Param({"putAll"})
    public String mapLoad;

    /** Fixed, and different from the key sequence's seed, so user keys do not correlate with keys. */
    private static final long USER_KEY_SEED = 4242L;

    private static final int USER_KEY_SEQUENCE = 1 << 20;

    private LongMapState map;
    private int[] userKeySequence;
    private int userKeyCursor;
    private int probedUserKey;
    private long written;

    @Setup
    public void setUp() throws Exception {
        var opened = openBackend(backend);
        // user keys [mapSize, 2 * mapSize) exist as objects but are never put: the misses of mapContains
        map = opened.longMapState(2 * mapSize);
        SplittableRandom random = new SplittableRandom(keyCount);
        long[] values = new long[mapSize];
        boolean putAll =
                switch (mapLoad) {
                    case "putAll" -> true;
                    case "put" -> false;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown map load: mapLoad=" + mapLoad + ", allowed=[putAll, put]");
                };
        for (int key = 0; key < keyCount; key++) {
            for (int i = 0; i < mapSize; i++) {
                values[i] = random.nextLong();
                if (!putAll) {
                    map.put(key, i, values[i]);
                }
            }
            if (putAll) {
                map.putAll(key, values);
            }
        }
        SplittableRandom userKeys = new SplittableRandom(USER_KEY_SEED);
        userKeySequence = new int[USER_KEY_SEQUENCE];
        for (int i = 0; i < USER_KEY_SEQUENCE; i++) {
            userKeySequence[i] = userKeys.nextInt(mapSize);
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

    /** A user key uniformly at random among the map's user keys: an array read, like {@code nextKey()}. */
    private int nextUserKey() {
        return userKeySequence[userKeyCursor++ & (USER_KEY_SEQUENCE - 1)];
    }
}

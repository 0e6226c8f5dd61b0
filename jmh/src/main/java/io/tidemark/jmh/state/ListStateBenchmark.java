package io.tidemark.jmh.state;

import io.tidemark.jmh.backend.LongListState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * List state of longs: append one element, read and iterate the whole list, replace the whole list. Every key starts
 * with {@code listLength} elements.
 *
 * <p>{@code listAdd} grows lists, so a run would otherwise measure ever longer lists, longer the faster the backend.
 * It is bounded: before every iteration (warm-up and measurement) in which adds happened, every key's list is replaced
 * by {@code listLength} elements again ({@code @Setup(Level.Iteration)}, not measured). Within one iteration of
 * {@code T} seconds at {@code R} adds per second a key's list grows by {@code R * T / keyCount} elements on average
 * with uniform keys (1 s at 1 M adds/s over 100k keys: about 10), so every backend adds to lists of
 * {@code listLength} to about twice that. With Zipf keys the hot keys grow much further within an iteration: quote
 * {@code listAdd} with {@code keyDistribution=uniform}.
 *
 * <p>Backends: Tidemark's and Flink's (Flink's three through Flink's state API). Chronicle Map and Agrona have no list values (see {@code docs/benchmarks.md}).
 */
public class ListStateBenchmark extends KeyedStateBenchmark {
    @Param({"tidemarkOffheap", "tidemarkHeap", "tidemarkFlink", "flinkHeap", "flinkRocksdb"})
    public String backend;

    @Param({"10"})
    public int listLength;

    private LongListState list;
    private List<Long> replacement;
    private long appended;
    private long appendedAtReset;
    private long[] initial;

    @Setup
    public void setUp() throws Exception {
        var opened = openBackend(backend);
        list = opened.longListState();
        SplittableRandom random = new SplittableRandom(keyCount);
        for (int key = 0; key < keyCount; key++) {
            for (int i = 0; i < listLength; i++) {
                list.add(key, random.nextLong());
            }
        }
        initial = new long[listLength];
        for (int i = 0; i < listLength; i++) {
            initial[i] = random.nextLong();
        }
        replacement = new ArrayList<>(listLength);
        for (int i = 0; i < listLength; i++) {
            replacement.add(random.nextLong());
        }
        opened.loaded();
    }

    /**
     * Puts every key's list back to {@code listLength} elements if the last iteration appended (not measured). A fresh
     * list per key: a heap backend may keep the list it is given.
     */
    @Setup(Level.Iteration)
    public void resetGrownLists() throws Exception {
        if (appended == appendedAtReset) {
            return;
        }
        for (int key = 0; key < keyCount; key++) {
            List<Long> values = new ArrayList<>(listLength);
            for (long value : initial) {
                values.add(value);
            }
            list.update(key, values);
        }
        appendedAtReset = appended;
    }

    @Benchmark
    public void listAdd() throws Exception {
        list.add(nextKey(), ++appended);
    }

    @Benchmark
    public long listGet() throws Exception {
        return list.sum(nextKey());
    }

    @Benchmark
    public void listUpdate() throws Exception {
        list.update(nextKey(), replacement);
    }
}

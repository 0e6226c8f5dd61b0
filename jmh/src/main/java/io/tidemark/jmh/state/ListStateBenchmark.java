package io.tidemark.jmh.state;

import io.tidemark.jmh.backend.LongListState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * List state of longs: append one element, read and iterate the whole list, replace the whole list. Every key starts
 * with {@code listLength} elements; {@code listAdd} makes lists grow during its own fork only (each benchmark method
 * runs in a fresh fork with a fresh load).
 *
 * <p>Backends: Flink's only. Chronicle Map and Agrona have no list values (see {@code docs/benchmarks.md}).
 */
public class ListStateBenchmark extends KeyedStateBenchmark {
    @Param({"tidemarkOffheap", "tidemarkHeap", "flinkHeap", "flinkRocksdb"})
    public String backend;

    @Param({"10"})
    public int listLength;

    private LongListState list;
    private List<Long> replacement;
    private long appended;

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
        replacement = new ArrayList<>(listLength);
        for (int i = 0; i < listLength; i++) {
            replacement.add(random.nextLong());
        }
        opened.loaded();
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

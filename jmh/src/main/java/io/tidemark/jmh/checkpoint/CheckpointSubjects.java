package io.tidemark.jmh.checkpoint;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.jmh.backend.BackendRegistry;
import io.tidemark.jmh.keys.KeySpace;
import io.tidemark.state.offheap.OffHeapBackendContext;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.nio.file.Path;

/** Maps the checkpoint benchmarks' {@code backend} parameter to a {@link CheckpointSubject}. */
final class CheckpointSubjects {
    static final String TIDEMARK_HEAP = BackendRegistry.TIDEMARK_HEAP;
    static final String TIDEMARK_OFFHEAP = BackendRegistry.TIDEMARK_OFFHEAP;
    static final String FLINK_HEAP = BackendRegistry.FLINK_HEAP;
    static final String FLINK_ROCKSDB = BackendRegistry.FLINK_ROCKSDB;

    /**
     * Room for the 10M-key preset's pages (about 1.5 GiB) and the copies a snapshot keeps: these benchmarks measure
     * checkpoints of state in memory; the default 256 MiB budget would make the 10M preset a spill benchmark
     * ({@code io.tidemark.jmh.spill.SpillBenchmark} measures that).
     */
    static final long OFFHEAP_RESIDENT_BUDGET = 4L << 30;

    private CheckpointSubjects() {}

    /**
     * @param incremental RocksDB only: build it with incremental checkpoints (Tidemark picks the kind per snapshot,
     *     Flink heap has none)
     * @param directory a fresh directory for the backend's files and its checkpoints; the caller's to delete
     */
    static CheckpointSubject open(String name, KeySpace keys, Path directory, boolean incremental) throws Exception {
        return switch (name) {
            case TIDEMARK_HEAP -> new TidemarkSubject(name, new HeapStateBackend(), keys, directory);
            case TIDEMARK_OFFHEAP ->
                new TidemarkSubject(
                        name,
                        new OffHeapStateBackend(new OffHeapBackendContext().residentBudget(OFFHEAP_RESIDENT_BUDGET)),
                        keys,
                        directory);
            case FLINK_HEAP -> new FlinkSubject(name, false, false, keys, directory);
            case FLINK_ROCKSDB -> new FlinkSubject(name, true, incremental, keys, directory);
            default ->
                throw new ConfigurationException(
                        "unknown backend for checkpoint benchmarks: backend=" + name + ", allowed=["
                                + String.join(", ", TIDEMARK_HEAP, TIDEMARK_OFFHEAP, FLINK_HEAP, FLINK_ROCKSDB) + "]");
        };
    }

    static Long[] boxed(KeySpace keys) {
        return keys.boxedKeys();
    }
}

package io.tidemark.jmh.backend;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.heap.HeapStateBackend;
import io.tidemark.flink.TidemarkOptions;
import io.tidemark.jmh.backend.agrona.AgronaBackend;
import io.tidemark.jmh.backend.chronicle.ChronicleMapBackend;
import io.tidemark.jmh.backend.flink.FlinkBackend;
import io.tidemark.jmh.backend.tidemark.TidemarkBackend;
import io.tidemark.jmh.keys.KeySpace;
import io.tidemark.state.chronicle.ChronicleBackendConfig;
import io.tidemark.state.chronicle.ChronicleStateBackend;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.nio.file.Path;
import org.apache.flink.configuration.MemorySize;

/**
 * Maps a {@code backend} parameter value to its adapter. Adding a backend (Tidemark's {@code tidemarkHeap} and
 * {@code tidemarkOffheap} when they exist) means adding one adapter and one case here.
 */
public final class BackendRegistry {
    public static final String FLINK_HEAP = "flinkHeap";
    public static final String FLINK_ROCKSDB = "flinkRocksdb";
    /** Tidemark's Flink state backend ({@code io.tidemark.flink}) inside Flink's keyed state API. */
    public static final String TIDEMARK_FLINK = "tidemarkFlink";

    public static final String CHRONICLE_MAP = "chronicleMap";
    public static final String AGRONA = "agrona";
    public static final String TIDEMARK_HEAP = "tidemarkHeap";
    public static final String TIDEMARK_CHRONICLE = "tidemarkChronicle";
    public static final String TIDEMARK_OFFHEAP = "tidemarkOffheap";
    public static final String TIDEMARK_OFFHEAP_BOXED = "tidemarkOffheapBoxed";

    private BackendRegistry() {}

    /** @param workDir a fresh directory the backend may write to; it is the caller's to delete */
    public static BenchmarkBackend open(String name, KeySpace keys, Path workDir) throws Exception {
        return switch (name) {
            case FLINK_HEAP -> FlinkBackend.heap(FLINK_HEAP, keys);
            case FLINK_ROCKSDB -> FlinkBackend.rocksDb(FLINK_ROCKSDB, keys, workDir);
            case TIDEMARK_FLINK -> FlinkBackend.tidemark(TIDEMARK_FLINK, keys, workDir, flinkBudget());
            case CHRONICLE_MAP -> new ChronicleMapBackend(CHRONICLE_MAP, keys);
            case AGRONA -> new AgronaBackend(AGRONA, keys);
            case TIDEMARK_HEAP -> new TidemarkBackend(TIDEMARK_HEAP, new HeapStateBackend(), keys, workDir, false);
            case TIDEMARK_OFFHEAP -> new TidemarkBackend(TIDEMARK_OFFHEAP, offHeap(), keys, workDir, false);
            case TIDEMARK_OFFHEAP_BOXED -> new TidemarkBackend(TIDEMARK_OFFHEAP_BOXED, offHeap(), keys, workDir, true);
            case TIDEMARK_CHRONICLE ->
                new TidemarkBackend(
                        TIDEMARK_CHRONICLE,
                        new ChronicleStateBackend(new ChronicleBackendConfig(keys.count(), 12, 112, 2.0, 1 << 16)),
                        keys,
                        workDir,
                        false);
            default ->
                throw new ConfigurationException("unknown backend: backend=" + name + ", allowed=["
                        + String.join(
                                ", ",
                                FLINK_HEAP,
                                FLINK_ROCKSDB,
                                TIDEMARK_FLINK,
                                CHRONICLE_MAP,
                                AGRONA,
                                TIDEMARK_HEAP,
                                TIDEMARK_CHRONICLE,
                                TIDEMARK_OFFHEAP,
                                TIDEMARK_OFFHEAP_BOXED)
                        + "]");
        };
    }

    /**
     * The off-heap backend with the resident budget of system property {@value #OFFHEAP_BUDGET_PROPERTY} (bytes; the
     * backend's default when absent). Benchmarks whose state exceeds the default budget give the store room to hold
     * it, as the heap backends get {@code -Xmx}: {@code -jvmArgsAppend -Dtidemark.jmh.offheapBudget=4294967296}.
     */
    private static OffHeapStateBackend offHeap() {
        final Long budget = Long.getLong(OFFHEAP_BUDGET_PROPERTY);
        return budget == null
                ? new OffHeapStateBackend()
                : new OffHeapStateBackend(new io.tidemark.state.offheap.OffHeapBackendContext().residentBudget(budget));
    }

    /**
     * The resident budget of {@code tidemarkFlink}: system property {@value #OFFHEAP_BUDGET_PROPERTY} as for
     * {@code tidemarkOffheap}, else the Flink backend's default ({@code state.backend.tidemark.memory-budget}).
     */
    private static MemorySize flinkBudget() {
        final Long budget = Long.getLong(OFFHEAP_BUDGET_PROPERTY);
        return budget == null ? TidemarkOptions.MEMORY_BUDGET.defaultValue() : new MemorySize(budget);
    }

    /** System property: the resident budget of the off-heap backend in benchmarks, in bytes. */
    public static final String OFFHEAP_BUDGET_PROPERTY = "tidemark.jmh.offheapBudget";
}

package io.tidemark.jmh.backend;

import io.tidemark.ConfigurationException;
import io.tidemark.jmh.backend.agrona.AgronaBackend;
import io.tidemark.jmh.backend.chronicle.ChronicleMapBackend;
import io.tidemark.jmh.backend.flink.FlinkBackend;
import io.tidemark.jmh.keys.KeySpace;
import java.nio.file.Path;

/**
 * Maps a {@code backend} parameter value to its adapter. Adding a backend (Tidemark's {@code tidemarkHeap} and
 * {@code tidemarkOffheap} when they exist) means adding one adapter and one case here.
 */
public final class BackendRegistry {
    public static final String FLINK_HEAP = "flinkHeap";
    public static final String FLINK_ROCKSDB = "flinkRocksdb";
    public static final String CHRONICLE_MAP = "chronicleMap";
    public static final String AGRONA = "agrona";

    private BackendRegistry() {}

    /** @param workDir a fresh directory the backend may write to; it is the caller's to delete */
    public static BenchmarkBackend open(String name, KeySpace keys, Path workDir) throws Exception {
        return switch (name) {
            case FLINK_HEAP -> FlinkBackend.heap(FLINK_HEAP, keys);
            case FLINK_ROCKSDB -> FlinkBackend.rocksDb(FLINK_ROCKSDB, keys, workDir);
            case CHRONICLE_MAP -> new ChronicleMapBackend(CHRONICLE_MAP, keys);
            case AGRONA -> new AgronaBackend(AGRONA, keys);
            default ->
                throw new ConfigurationException("unknown backend: backend=" + name + ", allowed=["
                        + String.join(", ", FLINK_HEAP, FLINK_ROCKSDB, CHRONICLE_MAP, AGRONA) + "]");
        };
    }
}

package io.tidemark.state.offheap;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.TtlClock;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.StateSerializer;
import java.nio.file.Path;

/** Small, fast configurations for tests: 4 KiB pages in 1 MiB segments. */
final class TestBackends {
    private TestBackends() {}

    static OffHeapBackendContext smallContext() {
        return new OffHeapBackendContext().pageSize(4096).segmentSize(1 << 20).residentBudget(64L << 20);
    }

    static <K> OffHeapKeyedStateBackend<K> create(
            OffHeapBackendContext context,
            Path directory,
            StateSerializer<K> keySerializer,
            int maxParallelism,
            KeyGroupRange range) {
        return (OffHeapKeyedStateBackend<K>) new OffHeapStateBackend(context)
                .createKeyedStateBackend(new KeyedBackendParameters<>(
                        "op", keySerializer, maxParallelism, range, TtlClock.SYSTEM, directory));
    }
}

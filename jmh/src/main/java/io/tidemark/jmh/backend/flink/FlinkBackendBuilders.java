package io.tidemark.jmh.backend.flink;

import io.tidemark.flink.TidemarkStateBackend;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.AbstractStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackendBuilder;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSetFactory;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackendBuilder;
import org.apache.flink.state.rocksdb.RocksDBPriorityQueueConfig;
import org.apache.flink.state.rocksdb.RocksDBResourceContainer;

/**
 * Builds Flink's keyed backends without a cluster, with the arguments Flink's own state backends pass in a task
 * (Flink 2.3 builder signatures: internal API, expect to revisit on a Flink upgrade), and Tidemark's Flink backend
 * through its public {@code StateBackend} face. No metrics, no latency or size tracking, no local recovery, no TTL, no
 * queryable state.
 */
public final class FlinkBackendBuilders {
    /** Flink's default maximum parallelism: one task owning all 128 key groups. */
    public static final int KEY_GROUPS = 128;

    private static final KeyGroupRange ALL_KEY_GROUPS = KeyGroupRange.of(0, KEY_GROUPS - 1);
    private static final int HEAP_TIMER_QUEUE_CAPACITY = 128;
    private static final String OPERATOR_ID = "tidemark-jmh";

    private FlinkBackendBuilders() {}

    /** What a Flink backend holds besides itself; closed after the backend is disposed. */
    static final class Resources {
        final CloseableRegistry registry = new CloseableRegistry();
        RocksDBResourceContainer rocksDb;

        void release() throws IOException {
            registry.close();
            if (rocksDb != null) {
                try {
                    rocksDb.close();
                } catch (Exception e) {
                    throw new IOException("cannot release RocksDB options and caches", e);
                }
            }
        }
    }

    static AbstractKeyedStateBackend<Long> heap(Resources resources) throws Exception {
        return heap(resources.registry, Collections.emptyList());
    }

    static AbstractKeyedStateBackend<Long> rocksDb(Resources resources, Path workDir) throws Exception {
        RocksDBResourceContainer container = new RocksDBResourceContainer();
        resources.rocksDb = container;
        return rocksDb(resources.registry, container, workDir, false, Collections.emptyList());
    }

    /**
     * Tidemark's Flink backend ({@code io.tidemark.flink.TidemarkStateBackend}) as a task creates it: through
     * {@code StateBackend.createKeyedStateBackend} with a task's parameters (the task being a
     * {@link BenchmarkTaskEnvironment}). Spill files go under {@code workDir}; {@code memoryBudget} is the resident
     * budget of the one keyed backend.
     */
    static AbstractKeyedStateBackend<Long> tidemark(Resources resources, Path workDir, MemorySize memoryBudget)
            throws IOException {
        Environment env = BenchmarkTaskEnvironment.create();
        TidemarkStateBackend backend = new TidemarkStateBackend()
                .withWorkingDirectory(workDir.toString())
                .withMemoryBudget(memoryBudget);
        return backend.createKeyedStateBackend(new KeyedStateBackendParametersImpl<>(
                env,
                env.getJobID(),
                OPERATOR_ID,
                LongSerializer.INSTANCE,
                KEY_GROUPS,
                ALL_KEY_GROUPS,
                null, // no queryable state
                TtlTimeProvider.DEFAULT,
                new UnregisteredMetricsGroup(),
                Collections.emptyList(),
                resources.registry));
    }

    /** The heap backend, restored from {@code restore} (empty: a fresh backend). */
    public static AbstractKeyedStateBackend<Long> heap(CloseableRegistry registry, Collection<KeyedStateHandle> restore)
            throws Exception {
        ExecutionConfig config = new ExecutionConfig();
        return new HeapKeyedStateBackendBuilder<>(
                        null,
                        LongSerializer.INSTANCE,
                        classLoader(),
                        KEY_GROUPS,
                        ALL_KEY_GROUPS,
                        config,
                        TtlTimeProvider.DEFAULT,
                        LatencyTrackingStateConfig.disabled(),
                        SizeTrackingStateConfig.disabled(),
                        restore,
                        AbstractStateBackend.getCompressionDecorator(config),
                        LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED,
                        new HeapPriorityQueueSetFactory(ALL_KEY_GROUPS, KEY_GROUPS, HEAP_TIMER_QUEUE_CAPACITY),
                        true,
                        registry)
                .build();
    }

    /** The RocksDB backend in {@code workDir}, full or incremental checkpoints, restored from {@code restore}. */
    public static AbstractKeyedStateBackend<Long> rocksDb(
            CloseableRegistry registry,
            RocksDBResourceContainer container,
            Path workDir,
            boolean incremental,
            Collection<KeyedStateHandle> restore)
            throws Exception {
        ExecutionConfig config = new ExecutionConfig();
        RocksDBKeyedStateBackendBuilder<Long> builder = new RocksDBKeyedStateBackendBuilder<>(
                OPERATOR_ID,
                classLoader(),
                workDir.toFile(),
                container,
                stateName -> container.getColumnOptions(),
                null,
                LongSerializer.INSTANCE,
                KEY_GROUPS,
                ALL_KEY_GROUPS,
                config,
                LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED,
                RocksDBPriorityQueueConfig.buildWithPriorityQueueType(PriorityQueueStateType.ROCKSDB),
                TtlTimeProvider.DEFAULT,
                LatencyTrackingStateConfig.disabled(),
                SizeTrackingStateConfig.disabled(),
                new UnregisteredMetricsGroup(),
                (metric, value) -> {},
                restore,
                AbstractStateBackend.getCompressionDecorator(config),
                registry);
        enableIncrementalCheckpointing(builder, incremental);
        return builder.build();
    }

    /**
     * {@code setEnableIncrementalCheckpointing} is package-private in Flink 2.3 ({@code EmbeddedRocksDBStateBackend}
     * calls it with {@code state.backend.incremental}); reflection is the only way in without a task environment.
     */
    private static void enableIncrementalCheckpointing(RocksDBKeyedStateBackendBuilder<Long> builder, boolean on)
            throws ReflectiveOperationException {
        Method setter = RocksDBKeyedStateBackendBuilder.class.getDeclaredMethod(
                "setEnableIncrementalCheckpointing", boolean.class);
        setter.setAccessible(true);
        setter.invoke(builder, on);
    }

    private static ClassLoader classLoader() {
        return FlinkBackendBuilders.class.getClassLoader();
    }
}

package io.tidemark.flink;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.TtlClock;
import io.tidemark.state.offheap.OffHeapBackendContext;
import io.tidemark.state.offheap.OffHeapStateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.AbstractStateBackend;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.apache.flink.runtime.state.DefaultOperatorStateBackendBuilder;
import org.apache.flink.runtime.state.InternalKeyContextImpl;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.OperatorStateBackend;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSetFactory;
import org.apache.flink.util.FileUtils;

/**
 * A Flink state backend whose keyed state lives in Tidemark's off-heap store: pages outside the Java heap (spilled to
 * local files beyond the memory budget) with a hash index, so state size is not bound by the heap and access is a hash
 * lookup with no JNI crossing. Operator state is Flink's default (heap) operator state backend.
 *
 * <p>Select it in a job with {@code env.configure(config)} / {@code state.backend.type:
 * io.tidemark.flink.TidemarkStateBackendFactory}, or {@code new TidemarkStateBackend()} where Flink takes a backend
 * object. Immutable; {@link #configure} returns a configured copy.
 */
public final class TidemarkStateBackend extends AbstractStateBackend implements ConfigurableStateBackend {
    private static final long serialVersionUID = 1L;
    private static final int TIMER_QUEUE_INITIAL_CAPACITY = 128;

    private final MemorySize memoryBudget;
    private final String workingDirectory;
    private final MemorySize pageSize;
    private final int maxKeyBytes;
    private final boolean incremental;

    /** A backend with the defaults of {@link TidemarkOptions}. */
    public TidemarkStateBackend() {
        this(
                TidemarkOptions.MEMORY_BUDGET.defaultValue(),
                null,
                TidemarkOptions.PAGE_SIZE.defaultValue(),
                TidemarkOptions.MAX_KEY_BYTES.defaultValue(),
                CheckpointingOptions.INCREMENTAL_CHECKPOINTS.defaultValue());
    }

    private TidemarkStateBackend(
            MemorySize memoryBudget,
            String workingDirectory,
            MemorySize pageSize,
            int maxKeyBytes,
            boolean incremental) {
        this.memoryBudget = memoryBudget;
        this.workingDirectory = workingDirectory;
        this.pageSize = pageSize;
        this.maxKeyBytes = maxKeyBytes;
        this.incremental = incremental;
    }

    /** This backend with a resident memory budget per keyed backend. */
    public TidemarkStateBackend withMemoryBudget(MemorySize budget) {
        return new TidemarkStateBackend(budget, workingDirectory, pageSize, maxKeyBytes, incremental);
    }

    /** This backend with spill files under {@code directory}. */
    public TidemarkStateBackend withWorkingDirectory(String directory) {
        return new TidemarkStateBackend(memoryBudget, directory, pageSize, maxKeyBytes, incremental);
    }

    /**
     * This backend with incremental checkpoints on or off (Flink's {@code execution.checkpointing.incremental}):
     * incremental checkpoints write only what changed since the last confirmed one; savepoints are always canonical.
     */
    public TidemarkStateBackend withIncrementalCheckpoints(boolean on) {
        return new TidemarkStateBackend(memoryBudget, workingDirectory, pageSize, maxKeyBytes, on);
    }

    public boolean isIncrementalCheckpoints() {
        return incremental;
    }

    public MemorySize memoryBudget() {
        return memoryBudget;
    }

    @Override
    public TidemarkStateBackend configure(ReadableConfig config, ClassLoader classLoader)
            throws IllegalConfigurationException {
        TidemarkStateBackend configured = new TidemarkStateBackend(
                config.getOptional(TidemarkOptions.MEMORY_BUDGET).orElse(memoryBudget),
                config.getOptional(TidemarkOptions.WORKING_DIRECTORY).orElse(workingDirectory),
                config.getOptional(TidemarkOptions.PAGE_SIZE).orElse(pageSize),
                config.getOptional(TidemarkOptions.MAX_KEY_BYTES).orElse(maxKeyBytes),
                config.getOptional(CheckpointingOptions.INCREMENTAL_CHECKPOINTS).orElse(incremental));
        configured.latencyTrackingConfigBuilder = latencyTrackingConfigBuilder.configure(config);
        configured.sizeTrackingConfigBuilder = sizeTrackingConfigBuilder.configure(config);
        configured.context(); // refuses out-of-range settings now, naming them
        return configured;
    }

    private OffHeapBackendContext context() {
        try {
            return new OffHeapBackendContext()
                    .residentBudget(memoryBudget.getBytes())
                    .pageSize(Math.toIntExact(pageSize.getBytes()))
                    .maxKeyBytes(maxKeyBytes)
                    .conclude();
        } catch (RuntimeException e) {
            throw new IllegalConfigurationException("invalid Tidemark state backend setting: " + e.getMessage(), e);
        }
    }

    @Override
    public <K> AbstractKeyedStateBackend<K> createKeyedStateBackend(KeyedStateBackendParameters<K> parameters)
            throws IOException {
        ClassLoader classLoader = parameters.getEnv().getUserCodeClassLoader().asClassLoader();
        try (TidemarkRestore<K> restore = TidemarkRestore.open(
                parameters.getKeyGroupRange(),
                classLoader,
                parameters.getStateHandles(),
                parameters.getKeySerializer())) {
            TidemarkKeyedStateBackend<K> backend = build(parameters, restore.keySerializer(), classLoader);
            try {
                restore.loadInto(backend);
            } catch (Exception e) {
                backend.dispose();
                throw e;
            }
            return backend;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(
                    "cannot restore the Tidemark keyed backend of operator " + parameters.getOperatorIdentifier(), e);
        }
    }

    private <K> TidemarkKeyedStateBackend<K> build(
            KeyedStateBackendParameters<K> parameters, TypeSerializer<K> keySerializer, ClassLoader classLoader)
            throws IOException {
        Environment env = parameters.getEnv();
        KeyGroupRange range = parameters.getKeyGroupRange();
        int maxParallelism = parameters.getNumberOfKeyGroups();
        ExecutionConfig executionConfig = env.getExecutionConfig();
        Path directory = workingDirectory(env, parameters.getOperatorIdentifier());
        io.tidemark.backend.KeyedStateBackend<K> store;
        try {
            store = new OffHeapStateBackend(context())
                    .createKeyedStateBackend(new KeyedBackendParameters<>(
                            parameters.getOperatorIdentifier(),
                            new FlinkKeySerializer<>(keySerializer.duplicate()),
                            maxParallelism,
                            range.getNumberOfKeyGroups() == 0
                                    ? io.tidemark.keygroup.KeyGroupRange.EMPTY
                                    : io.tidemark.keygroup.KeyGroupRange.of(
                                            range.getStartKeyGroup(), range.getEndKeyGroup()),
                            TtlClock.SYSTEM,
                            directory));
        } catch (RuntimeException e) {
            FileUtils.deleteDirectoryQuietly(directory.toFile());
            throw e;
        }
        return new TidemarkKeyedStateBackend<>(
                parameters.getKvStateRegistry(),
                keySerializer,
                classLoader,
                executionConfig,
                parameters.getTtlTimeProvider(),
                latencyTrackingConfigBuilder
                        .setMetricGroup(parameters.getMetricGroup())
                        .build(),
                sizeTrackingConfigBuilder
                        .setMetricGroup(parameters.getMetricGroup())
                        .build(),
                // its own registry: Flink closes the parameters' one when the restore is over, and the backend's
                // snapshots register their streams until the backend is disposed
                new CloseableRegistry(),
                getCompressionDecorator(executionConfig),
                new InternalKeyContextImpl<>(range, maxParallelism),
                store,
                directory,
                new HeapPriorityQueueSetFactory(range, maxParallelism, TIMER_QUEUE_INITIAL_CAPACITY),
                incremental);
    }

    private Path workingDirectory(Environment env, String operator) throws IOException {
        Path base;
        if (workingDirectory != null) {
            base = Path.of(workingDirectory);
        } else {
            String[] tmp = env.getIOManager().getSpillingDirectoriesPaths();
            base = Path.of(tmp[ThreadLocalRandom.current().nextInt(tmp.length)]);
        }
        String safeOperator = operator.replaceAll("[^A-Za-z0-9_.-]", "_");
        Path directory = base.resolve("tidemark-" + safeOperator + "-" + UUID.randomUUID());
        Files.createDirectories(directory);
        return directory;
    }

    /**
     * Restoring never makes a later checkpoint depend on the restored one's files: the store rewrites restored state
     * into its own pages and log, so the first checkpoint after a restore stands alone (Flink's NO_CLAIM mode).
     */
    @Override
    public boolean supportsNoClaimRestoreMode() {
        return true;
    }

    @Override
    public OperatorStateBackend createOperatorStateBackend(OperatorStateBackendParameters parameters) throws Exception {
        Environment env = parameters.getEnv();
        return new DefaultOperatorStateBackendBuilder(
                        env.getUserCodeClassLoader().asClassLoader(),
                        env.getExecutionConfig(),
                        true,
                        parameters.getStateHandles(),
                        parameters.getCancelStreamRegistry())
                .build();
    }

    @Override
    public String toString() {
        return "TidemarkStateBackend{memoryBudget=" + memoryBudget + ", pageSize=" + pageSize + ", maxKeyBytes="
                + maxKeyBytes + ", incremental=" + incremental
                + ", workingDirectory="
                + (workingDirectory == null ? "<task manager temp dirs>" : workingDirectory) + "}";
    }
}

package io.tidemark.state.offheap;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.operator.DefaultOperatorStateBackend;

/**
 * The {@code offheap} backend (the default): keyed state as serialized keys and values in hash tables laid out in the
 * pages of a memory-mapped {@link io.tidemark.memory.PageStore}, one store per keyed backend in
 * {@code <workingDirectory>/offheap-pages}; incremental native snapshots by page; operator state as in every backend.
 * Thread-safe factory; the backends it creates are owned by one operator thread each.
 */
public final class OffHeapStateBackend implements StateBackend {
    public static final String NAME = "offheap";

    private final OffHeapBackendContext context;

    public OffHeapStateBackend() {
        this(new OffHeapBackendContext());
    }

    /** @throws ConfigurationException if the context is invalid. */
    public OffHeapStateBackend(OffHeapBackendContext context) {
        this.context = context.conclude();
    }

    @Override
    public String name() {
        return NAME;
    }

    public OffHeapBackendContext context() {
        return context;
    }

    /**
     * @throws ConfigurationException if the parameters have no working directory.
     * @throws io.tidemark.StateAccessException if another backend holds the directory.
     */
    @Override
    public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        if (parameters.workingDirectory() == null) {
            throw new ConfigurationException("workingDirectory is required by the offheap backend: operator="
                    + parameters.operatorId() + ", workingDirectory=null, allowed=a path");
        }
        return new OffHeapKeyedStateBackend<>(parameters, context);
    }

    @Override
    public OperatorStateBackend createOperatorStateBackend(String operatorId) {
        return new DefaultOperatorStateBackend(operatorId);
    }
}

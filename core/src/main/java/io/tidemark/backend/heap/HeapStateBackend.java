package io.tidemark.backend.heap;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.operator.DefaultOperatorStateBackend;

/** The {@code heap} backend: state as Java objects, canonical copy-on-write snapshots. Thread-safe factory. */
public final class HeapStateBackend implements StateBackend {
    public static final String NAME = "heap";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        return new HeapKeyedStateBackend<>(parameters);
    }

    @Override
    public OperatorStateBackend createOperatorStateBackend(String operatorId) {
        return new DefaultOperatorStateBackend(operatorId);
    }
}

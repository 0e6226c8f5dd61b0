package io.tidemark.state.chronicle;

import io.tidemark.backend.KeyedBackendParameters;
import io.tidemark.backend.KeyedStateBackend;
import io.tidemark.backend.OperatorStateBackend;
import io.tidemark.backend.StateBackend;
import io.tidemark.backend.operator.DefaultOperatorStateBackend;

/**
 * The {@code chronicle} backend: keyed state in one persisted Chronicle Map per state, full canonical snapshots.
 * Operator state (small by design) stays on the heap, as in every backend. Thread-safe factory; every JVM that loads
 * it needs Chronicle's {@code --add-opens/--add-exports} flags.
 */
public final class ChronicleStateBackend implements StateBackend {
    public static final String NAME = "chronicle";

    private final ChronicleBackendConfig config;

    public ChronicleStateBackend() {
        this(ChronicleBackendConfig.defaults());
    }

    public ChronicleStateBackend(ChronicleBackendConfig config) {
        this.config = config;
    }

    public ChronicleBackendConfig config() {
        return config;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates a backend whose files live under {@code parameters.workingDirectory()}, deleting what an earlier run of the
     * same operator and an overlapping key-group range left there.
     *
     * @throws io.tidemark.ConfigurationException if there is no working directory
     */
    @Override
    public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        return new ChronicleKeyedStateBackend<>(parameters, config);
    }

    @Override
    public OperatorStateBackend createOperatorStateBackend(String operatorId) {
        return new DefaultOperatorStateBackend(operatorId);
    }
}

package io.tidemark.flink;

import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.StateBackendFactory;

/**
 * Selects {@link TidemarkStateBackend} from a Flink configuration:
 * {@code state.backend.type: io.tidemark.flink.TidemarkStateBackendFactory}, with {@link TidemarkOptions}.
 */
public final class TidemarkStateBackendFactory implements StateBackendFactory<TidemarkStateBackend> {
    @Override
    public TidemarkStateBackend createFromConfig(ReadableConfig config, ClassLoader classLoader)
            throws IllegalConfigurationException {
        return new TidemarkStateBackend().configure(config, classLoader);
    }
}

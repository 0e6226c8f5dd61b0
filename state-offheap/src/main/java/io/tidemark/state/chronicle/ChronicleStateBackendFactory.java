package io.tidemark.state.chronicle;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.StateBackendFactory;

/**
 * Registers the {@code chronicle} backend with {@link StateBackendFactory}, with its default configuration; Chronicle
 * Map sizes its files itself, so the memory budget is not used.
 */
public final class ChronicleStateBackendFactory implements StateBackendFactory {
    @Override
    public String name() {
        return ChronicleStateBackend.NAME;
    }

    @Override
    public StateBackend create(long memoryBytes) {
        return new ChronicleStateBackend();
    }
}

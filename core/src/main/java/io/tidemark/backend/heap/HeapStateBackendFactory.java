package io.tidemark.backend.heap;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.StateBackendFactory;

/** Registers the {@code heap} backend with {@link StateBackendFactory}; it has no memory budget. */
public final class HeapStateBackendFactory implements StateBackendFactory {
    @Override
    public String name() {
        return HeapStateBackend.NAME;
    }

    @Override
    public StateBackend create(long memoryBytes) {
        return new HeapStateBackend();
    }
}

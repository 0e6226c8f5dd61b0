package io.tidemark.state.offheap;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.StateBackendFactory;

/** Registers the {@code offheap} backend with {@link StateBackendFactory}; the budget is its resident budget. */
public final class OffHeapStateBackendFactory implements StateBackendFactory {
    @Override
    public String name() {
        return OffHeapStateBackend.NAME;
    }

    @Override
    public StateBackend create(long memoryBytes) {
        return new OffHeapStateBackend(new OffHeapBackendContext().residentBudget(memoryBytes));
    }
}

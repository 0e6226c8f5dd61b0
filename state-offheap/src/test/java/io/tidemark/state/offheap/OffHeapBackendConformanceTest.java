package io.tidemark.state.offheap;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.conformance.KeyedStateBackendConformance;

class OffHeapBackendConformanceTest extends KeyedStateBackendConformance {
    @Override
    protected StateBackend stateBackend() {
        return new OffHeapStateBackend(TestBackends.smallContext());
    }
}

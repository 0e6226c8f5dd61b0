package io.tidemark.backend.heap;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.conformance.KeyedStateBackendConformance;

class HeapBackendConformanceTest extends KeyedStateBackendConformance {
    @Override
    protected StateBackend stateBackend() {
        return new HeapStateBackend();
    }
}

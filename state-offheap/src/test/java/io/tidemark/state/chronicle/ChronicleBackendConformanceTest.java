package io.tidemark.state.chronicle;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.conformance.KeyedStateBackendConformance;

class ChronicleBackendConformanceTest extends KeyedStateBackendConformance {
    @Override
    protected StateBackend stateBackend() {
        return new ChronicleStateBackend();
    }
}

package io.tidemark.state.chronicle;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.conformance.OperatorStateConformance;

class ChronicleOperatorStateConformanceTest extends OperatorStateConformance {
    @Override
    protected StateBackend stateBackend() {
        return new ChronicleStateBackend();
    }
}

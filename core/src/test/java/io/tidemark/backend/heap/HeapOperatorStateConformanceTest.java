package io.tidemark.backend.heap;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.conformance.OperatorStateConformance;

class HeapOperatorStateConformanceTest extends OperatorStateConformance {
    @Override
    protected StateBackend stateBackend() {
        return new HeapStateBackend();
    }
}

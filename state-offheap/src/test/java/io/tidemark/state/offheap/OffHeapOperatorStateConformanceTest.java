package io.tidemark.state.offheap;

import io.tidemark.backend.StateBackend;
import io.tidemark.backend.conformance.OperatorStateConformance;

class OffHeapOperatorStateConformanceTest extends OperatorStateConformance {
    @Override
    protected StateBackend stateBackend() {
        return new OffHeapStateBackend(TestBackends.smallContext());
    }
}

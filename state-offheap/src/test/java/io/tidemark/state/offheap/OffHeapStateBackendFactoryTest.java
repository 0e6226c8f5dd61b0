package io.tidemark.state.offheap;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backend.StateBackendFactory;
import io.tidemark.state.chronicle.ChronicleStateBackend;
import org.junit.jupiter.api.Test;

class OffHeapStateBackendFactoryTest {
    @Test
    void offHeapAndChronicleAreFoundByName() {
        assertThat(StateBackendFactory.names()).containsExactly("chronicle", "heap", "offheap");
        assertThat(StateBackendFactory.create("offheap", 256L << 20)).isInstanceOf(OffHeapStateBackend.class);
        assertThat(StateBackendFactory.find("chronicle").create(0)).isInstanceOf(ChronicleStateBackend.class);
    }
}

package io.tidemark.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.heap.HeapStateBackend;
import org.junit.jupiter.api.Test;

class StateBackendFactoryTest {
    @Test
    void findsTheHeapBackendByName() {
        assertThat(StateBackendFactory.names()).contains("heap");
        assertThat(StateBackendFactory.create("heap", 1 << 20)).isInstanceOf(HeapStateBackend.class);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> StateBackendFactory.create("rocksdb", 1 << 20))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown state backend: backend=rocksdb, allowed=")
                .hasMessageContaining("heap");
    }
}

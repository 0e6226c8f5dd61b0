package io.tidemark.flink;

import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The keyed state backends the MiniCluster tests run on: Flink's own heap backend as the control, and Tidemark's,
 * each selected the way a user's Flink configuration selects it ({@code state.backend.type}).
 */
enum BackendUnderTest {
    HASHMAP("hashmap", "org.apache.flink.runtime.state.heap.HeapKeyedStateBackend"),
    TIDEMARK("io.tidemark.flink.TidemarkStateBackendFactory", "io.tidemark.flink.");

    /** The {@code state.backend.type} value. */
    final String type;

    /** What the class name of the keyed backend the job's operators run on starts with. */
    final String keyedBackendClassPrefix;

    BackendUnderTest(String type, String keyedBackendClassPrefix) {
        this.type = type;
        this.keyedBackendClassPrefix = keyedBackendClassPrefix;
    }

    /** The backend selection as a user's {@code config.yaml} writes it: the option's key and value as text. */
    Configuration configuration() {
        return Configuration.fromMap(Map.of("state.backend.type", type));
    }
}

package io.tidemark.flink;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * The keyed state backends the MiniCluster tests run on: Flink's own heap backend as the control, and Tidemark's.
 * Each is selected either as a user's {@code config.yaml} selects it ({@code state.backend.type} and the backend's
 * options, keys and values as text) or in code, with the typed options applied to the job's environment
 * ({@code env.configure}); Flink 2 has no {@code env.setStateBackend}.
 */
enum BackendUnderTest {
    HASHMAP("hashmap", "org.apache.flink.runtime.state.heap.HeapKeyedStateBackend") {
        @Override
        Map<String, String> options() {
            return Map.of();
        }

        @Override
        Configuration typedSelection() {
            Configuration config = new Configuration();
            config.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            return config;
        }
    },
    TIDEMARK("io.tidemark.flink.TidemarkStateBackendFactory", "io.tidemark.flink.") {
        @Override
        Map<String, String> options() {
            return Map.of("state.backend.tidemark.memory-budget", "32mb");
        }

        @Override
        Configuration typedSelection() {
            Configuration config = new Configuration();
            config.set(StateBackendOptions.STATE_BACKEND, TidemarkStateBackendFactory.class.getName());
            config.set(TidemarkOptions.MEMORY_BUDGET, MemorySize.ofMebiBytes(32));
            return config;
        }
    };

    /** The {@code state.backend.type} value. */
    final String type;

    /** What the class name of the keyed backend the job's operators run on starts with. */
    final String keyedBackendClassPrefix;

    BackendUnderTest(String type, String keyedBackendClassPrefix) {
        this.type = type;
        this.keyedBackendClassPrefix = keyedBackendClassPrefix;
    }

    /** Selects this backend in {@code config} as text: {@code state.backend.type} and the backend's own options. */
    final void selectIn(Configuration config) {
        config.addAll(Configuration.fromMap(Map.of("state.backend.type", type)));
        config.addAll(Configuration.fromMap(options()));
    }

    /** The backend's own options of a test run, as text. */
    abstract Map<String, String> options();

    /** The same selection written in code with the typed options, for {@code env.configure}. */
    abstract Configuration typedSelection();
}

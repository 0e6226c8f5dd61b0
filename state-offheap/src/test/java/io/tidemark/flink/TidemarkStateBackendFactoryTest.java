package io.tidemark.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.junit.jupiter.api.Test;

/** {@code state.backend.type: io.tidemark.flink.TidemarkStateBackendFactory} selects the backend through Flink. */
class TidemarkStateBackendFactoryTest {
    private static final ClassLoader LOADER = TidemarkStateBackendFactoryTest.class.getClassLoader();

    @Test
    void flinkLoadsTheBackendFromItsFactoryWithTheConfiguredBudget() throws Exception {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, TidemarkStateBackendFactory.class.getName());
        config.set(TidemarkOptions.MEMORY_BUDGET, MemorySize.ofMebiBytes(48));

        StateBackend backend = StateBackendLoader.loadStateBackendFromConfig(config, LOADER, null);

        assertThat(backend).isInstanceOf(TidemarkStateBackend.class);
        assertThat(((TidemarkStateBackend) backend).memoryBudget()).isEqualTo(MemorySize.ofMebiBytes(48));
    }

    @Test
    void anOutOfRangePageSizeIsRefusedNamingIt() {
        Configuration config = new Configuration();
        config.set(TidemarkOptions.PAGE_SIZE, MemorySize.ofMebiBytes(4));

        assertThatThrownBy(() -> new TidemarkStateBackendFactory().createFromConfig(config, LOADER))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("pageSize");
    }

    @Test
    void aKeyLimitBeyondHalfAPageIsRefusedNamingIt() {
        Configuration config = new Configuration();
        config.set(TidemarkOptions.MAX_KEY_BYTES, 16 * 1024);

        assertThatThrownBy(() -> new TidemarkStateBackend().configure(config, LOADER))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("maxKeyBytes");
    }

    @Test
    void aBudgetBelowEightPagesIsRefusedNamingIt() {
        Configuration config = new Configuration();
        config.set(TidemarkOptions.MEMORY_BUDGET, MemorySize.parse("64kb"));

        assertThatThrownBy(() -> new TidemarkStateBackend().configure(config, LOADER))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("residentBudget");
    }
}

package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageStoreContextTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreValid() {
        final PageStoreContext context =
                new PageStoreContext().stateDirectory(dir).conclude();
        assertThat(context.pageSize()).isEqualTo(64 * 1024);
        assertThat(context.segmentSize()).as("256 MiB / 16").isEqualTo(16 * 1024 * 1024);
        assertThat(context.isConcluded()).isTrue();
    }

    @Test
    void segmentSizeFollowsTheBudgetUnlessSet() {
        final long mib = 1L << 20;
        final long[][] budgetToSegment = {
            {1 * mib, 1 * mib},
            {32 * mib, 2 * mib},
            {48 * mib, 2 * mib},
            {128 * mib, 8 * mib},
            {256 * mib, 16 * mib},
            {1024 * mib, 64 * mib},
            {64 * 1024 * mib, 64 * mib}
        };
        for (long[] row : budgetToSegment) {
            assertThat(new PageStoreContext()
                            .stateDirectory(dir)
                            .pageSize(16 * 1024)
                            .residentBudget(row[0])
                            .conclude()
                            .segmentSize())
                    .as("budget %d", row[0])
                    .isEqualTo(row[1]);
        }
        assertThat(new PageStoreContext()
                        .stateDirectory(dir)
                        .pageSize(4 << 20)
                        .residentBudget(64 << 20)
                        .conclude()
                        .segmentSize())
                .as("at least a page")
                .isEqualTo(4 << 20);
        assertThat(new PageStoreContext()
                        .stateDirectory(dir)
                        .segmentSize(256 << 20)
                        .residentBudget(32 << 20)
                        .conclude()
                        .segmentSize())
                .as("set explicitly: no rule ties it to the budget")
                .isEqualTo(256 << 20);
    }

    @Test
    void maxSnapshotsInFlightMustBeInRange() {
        assertThat(new PageStoreContext().stateDirectory(dir).conclude().maxSnapshotsInFlight())
                .isEqualTo(4);
        for (int bad : new int[] {0, 65, -1}) {
            assertThatThrownBy(() -> new PageStoreContext()
                            .stateDirectory(dir)
                            .maxSnapshotsInFlight(bad)
                            .conclude())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("maxSnapshotsInFlight=" + bad)
                    .hasMessageContaining("allowed=[1, 64]");
        }
        assertThat(new PageStoreContext()
                        .stateDirectory(dir)
                        .maxSnapshotsInFlight(64)
                        .conclude()
                        .maxSnapshotsInFlight())
                .isEqualTo(64);
    }

    @Test
    void missingDirectoryIsNamed() {
        assertThatThrownBy(() -> new PageStoreContext().conclude())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("stateDirectory=null");
    }

    @Test
    void pageSizeMustBePowerOfTwoInRange() {
        assertThatThrownBy(() -> new PageStoreContext()
                        .stateDirectory(dir)
                        .pageSize(3000)
                        .conclude())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pageSize=3000")
                .hasMessageContaining("allowed=power of two in [4096, 16777216]");
        assertThatThrownBy(() -> new PageStoreContext()
                        .stateDirectory(dir)
                        .pageSize(2048)
                        .conclude())
                .hasMessageContaining("pageSize=2048");
    }

    @Test
    void segmentSizeMustHoldWholePages() {
        assertThatThrownBy(() -> new PageStoreContext()
                        .stateDirectory(dir)
                        .pageSize(65536)
                        .segmentSize(32768)
                        .conclude())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("segmentSize=32768")
                .hasMessageContaining("[65536, 1073741824]");
        assertThatThrownBy(() -> new PageStoreContext()
                        .stateDirectory(dir)
                        .segmentSize(3 * 1024 * 1024)
                        .conclude())
                .hasMessageContaining("segmentSize=3145728");
    }

    @Test
    void budgetMustHoldEightPages() {
        assertThatThrownBy(() -> new PageStoreContext()
                        .stateDirectory(dir)
                        .pageSize(64 * 1024)
                        .residentBudget(256 * 1024)
                        .conclude())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("residentBudget=262144")
                .hasMessageContaining("524288 (8 * pageSize)");
        assertThat(new PageStoreContext()
                        .stateDirectory(dir)
                        .pageSize(16 * 1024)
                        .residentBudget(32 << 20)
                        .conclude()
                        .residentBudget())
                .isEqualTo(32 << 20);
    }

    @Test
    void maxStoreSizeMustFitTheStateWord() {
        assertThatThrownBy(() -> new PageStoreContext()
                        .stateDirectory(dir)
                        .pageSize(4096)
                        .segmentSize(1 << 20)
                        .maxStoreSize(1L << 41)
                        .conclude())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxStoreSize=2199023255552")
                .hasMessageContaining("pageSize * 2^28");
        assertThatThrownBy(() -> new PageStoreContext()
                        .stateDirectory(dir)
                        .segmentSize(1 << 20)
                        .maxStoreSize((1 << 20) + 1)
                        .conclude())
                .hasMessageContaining("multiple of segmentSize");
    }

    @Test
    void concludedContextIsFrozen() {
        final PageStoreContext context =
                new PageStoreContext().stateDirectory(dir).conclude();
        assertThatThrownBy(() -> context.pageSize(4096)).isInstanceOf(ConfigurationException.class);
    }
}

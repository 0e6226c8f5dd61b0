package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a snapshot that ends before any is confirmed must not let the store drop the dirty sets a later
 * confirmation of another snapshot in flight will need (found by the off-heap backend's overlapping-snapshot test:
 * pages written after the confirmed snapshot began fell out of the next incremental read set).
 */
class ReadSetRetentionTest {
    private static final int PAGE = TestPages.PAGE;
    private static final int SEGMENT = 16 * PAGE;

    @TempDir
    Path dir;

    private PageStore store;

    @BeforeEach
    void open() {
        store = PageStore.open(TestPages.context(dir, PAGE, SEGMENT, 4L * SEGMENT));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void setsNeededAfterALaterConfirmationSurviveEndsBeforeIt() {
        final long before = store.allocatePage();
        store.writeAddress(before);
        final PageSnapshot first = store.beginSnapshot();
        final long afterFirst = store.allocatePage();
        final PageSnapshot second = store.beginIncrementalSnapshot();
        final long afterSecond = store.allocatePage();
        store.writeAddress(afterFirst);
        final PageSnapshot third = store.beginIncrementalSnapshot();
        store.endSnapshot(first);
        store.endSnapshot(second);
        store.confirmSnapshot(first);
        final PageSnapshot fourth = store.beginIncrementalSnapshot();
        // `before` may be in the read set too (a superset is correct, only larger); these two must be.
        assertThat(fourth.contains(before)).isTrue();
        assertThat(fourth.inReadSet(afterFirst))
                .as("allocated after the confirmed snapshot began")
                .isTrue();
        assertThat(fourth.inReadSet(afterSecond))
                .as("allocated two epochs later")
                .isTrue();
        store.endSnapshot(third);
        store.endSnapshot(fourth);
    }
}

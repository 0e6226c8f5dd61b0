package io.tidemark.memory;

import static io.tidemark.memory.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StateAccessException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several snapshots in flight: version chains, read sets relative to the last confirmed snapshot, garbage collection. */
class SnapshotVersionsTest {
    private static final int SEGMENT = 16 * PAGE;

    @TempDir
    Path dir;

    private PageStore store;
    private final UnsafeBuffer target = new UnsafeBuffer(new byte[PAGE]);

    @BeforeEach
    void open() {
        store = PageStore.open(
                TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT).maxSnapshotsInFlight(8));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long allocate(long version) {
        final long id = store.allocatePage();
        write(id, version);
        return id;
    }

    private void write(long id, long version) {
        TestPages.fill(new UnsafeBuffer(store.writeAddress(id), PAGE), id, version);
    }

    private long liveVersion(long id) {
        return TestPages.versionOf(new UnsafeBuffer(store.readAddress(id), PAGE), 0, PAGE, id);
    }

    private static List<Long> readSet(PageSnapshot snapshot) {
        final List<Long> ids = TestPages.dirtyPages(snapshot);
        for (long id : ids) {
            assertThat(snapshot.inReadSet(id) || !snapshot.isIncremental()).isTrue();
        }
        return ids;
    }

    @Test
    void eachSnapshotInFlightReadsItsOwnVersion() {
        final long a = allocate(1);
        final PageSnapshot s1 = store.beginSnapshot();
        write(a, 2);
        final PageSnapshot s2 = store.beginSnapshot();
        write(a, 3);
        final PageSnapshot s3 = store.beginSnapshot();
        write(a, 4);
        assertThat(store.snapshotsInFlight()).isEqualTo(3);
        assertThat(store.copiesOnWrite()).isEqualTo(3);
        assertThat(TestPages.snapshotVersion(s2, a)).isEqualTo(2);
        assertThat(TestPages.snapshotVersion(s3, a)).isEqualTo(3);
        assertThat(TestPages.snapshotVersion(s1, a)).isEqualTo(1);
        assertThat(liveVersion(a)).isEqualTo(4);
        store.endSnapshot(s2);
        store.endSnapshot(s3);
        assertThat(store.sidePages()).as("s1 may still traverse every version").isEqualTo(3);
        store.endSnapshot(s1);
        assertThat(store.sidePages()).isZero();
        assertThat(store.allocatedPages()).isEqualTo(1);
    }

    @Test
    void oneCopyServesEverySnapshotThatSharesTheVersion() {
        final long a = allocate(1);
        final PageSnapshot s1 = store.beginSnapshot();
        final PageSnapshot s2 = store.beginSnapshot();
        write(a, 2);
        assertThat(store.copiesOnWrite()).isEqualTo(1);
        assertThat(TestPages.snapshotVersion(s1, a)).isEqualTo(1);
        assertThat(TestPages.snapshotVersion(s2, a)).isEqualTo(1);
        store.endSnapshot(s1);
        assertThat(store.sidePages()).as("s2 still needs the version").isEqualTo(1);
        store.endSnapshot(s2);
        assertThat(store.sidePages()).isZero();
    }

    @Test
    void capturedPagesAreNotCopiedForThatSnapshot() {
        final long a = allocate(1);
        final long b = allocate(1);
        final PageSnapshot s1 = store.beginSnapshot();
        assertThat(TestPages.snapshotVersion(s1, a)).isEqualTo(1);
        final PageSnapshot s2 = store.beginSnapshot();
        assertThat(TestPages.snapshotVersion(s2, b)).isEqualTo(1);
        write(a, 2); // s2 has not captured a
        write(b, 2); // s1 has not captured b
        assertThat(store.copiesOnWrite()).isEqualTo(2);
        assertThat(TestPages.snapshotVersion(s2, a)).isEqualTo(1);
        assertThat(TestPages.snapshotVersion(s1, b)).isEqualTo(1);
        final PageSnapshot s3 = store.beginSnapshot();
        assertThat(TestPages.snapshotVersion(s3, a)).isEqualTo(2);
        write(a, 3); // nobody needs it any more
        assertThat(store.copiesOnWrite()).isEqualTo(2);
        assertThatThrownBy(() -> TestPages.snapshotVersion(s1, a))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("read twice");
        store.endSnapshot(s1);
        store.endSnapshot(s3);
        store.endSnapshot(s2);
        assertThat(store.sidePages()).isZero();
    }

    @Test
    void incrementalReadSetIsRelativeToTheLastConfirmedSnapshot() {
        final long a = allocate(1);
        final long b = allocate(1);
        final long c = allocate(1);
        PageSnapshot s = store.beginIncrementalSnapshot();
        assertThat(readSet(s)).as("nothing confirmed: every page").containsExactly(a, b, c);
        store.completeSnapshot(s);
        write(a, 2);
        s = store.beginIncrementalSnapshot();
        assertThat(readSet(s)).containsExactly(a);
        assertThat(s.inReadSet(b)).isFalse();
        store.endSnapshot(s);
        write(b, 2);
        s = store.beginIncrementalSnapshot();
        assertThat(readSet(s)).as("aborted snapshots do not move the base").containsExactly(a, b);
        store.endSnapshot(s);
        store.confirmSnapshot(s); // after its end: still confirms
        final long d = allocate(1);
        write(c, 2);
        s = store.beginIncrementalSnapshot();
        assertThat(readSet(s)).containsExactly(c, d);
        assertThatThrownBy(() -> TestPages.snapshotVersion(store.snapshotInFlight(), a))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("read set");
        store.completeSnapshot(s);
    }

    @Test
    void confirmingAnOlderSnapshotAfterANewerOneDoesNothing() {
        final long a = allocate(1);
        final long b = allocate(1);
        final PageSnapshot s1 = store.beginSnapshot();
        write(a, 2);
        final PageSnapshot s2 = store.beginSnapshot();
        write(b, 2);
        store.endSnapshot(s1);
        store.endSnapshot(s2);
        store.confirmSnapshot(s2);
        store.confirmSnapshot(s1);
        assertThat(store.lastConfirmedEpoch()).isEqualTo(s2.epoch());
        final PageSnapshot s3 = store.beginIncrementalSnapshot();
        assertThat(readSet(s3)).containsExactly(b);
        store.endSnapshot(s3);
    }

    @Test
    void confirmingAnEndedSnapshotLaterKeepsItsEpoch() {
        final long a = allocate(1);
        final long b = allocate(1);
        final long c = allocate(1);
        store.completeSnapshot(store.beginSnapshot());
        write(a, 2);
        final PageSnapshot s1 = store.beginIncrementalSnapshot();
        store.endSnapshot(s1); // durable later
        write(b, 2);
        final PageSnapshot s2 = store.beginIncrementalSnapshot();
        store.endSnapshot(s2); // never confirmed
        write(c, 2);
        store.confirmSnapshot(s1);
        final PageSnapshot s3 = store.beginIncrementalSnapshot();
        assertThat(readSet(s3)).containsExactly(b, c);
        store.endSnapshot(s3);
    }

    @Test
    void fullSnapshotReadsEveryPageAndListsTheChangedOnes() {
        final long a = allocate(1);
        final long b = allocate(1);
        store.completeSnapshot(store.beginSnapshot());
        write(a, 2);
        final PageSnapshot full = store.beginSnapshot();
        assertThat(readSet(full)).as("changed since the last confirmed").containsExactly(a);
        assertThat(full.inReadSet(b)).isTrue();
        write(b, 3);
        assertThat(TestPages.snapshotVersion(full, b)).isEqualTo(1);
        assertThat(TestPages.snapshotVersion(full, a)).isEqualTo(2);
        store.completeSnapshot(full);
    }

    @Test
    void copyOnWriteCopiesOnlyPagesInTheReadSet() {
        final long[] ids = new long[32];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = allocate(1);
        }
        store.completeSnapshot(store.beginSnapshot());
        for (int i = 0; i < 4; i++) {
            write(ids[i], 2);
        }
        final PageSnapshot incremental = store.beginIncrementalSnapshot();
        final long before = store.copiesOnWrite();
        for (long id : ids) {
            write(id, 3);
        }
        assertThat(store.copiesOnWrite() - before)
                .as("only the 4 pages of the read set")
                .isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(TestPages.snapshotVersion(incremental, ids[i])).isEqualTo(2);
        }
        assertThatThrownBy(() -> incremental.readPage(ids[4], target, 0))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("read set");
        store.completeSnapshot(incremental);

        store.completeSnapshot(store.beginIncrementalSnapshot()); // every page changed: moves the base past it
        // A full snapshot next to an incremental one: the full one needs every page, the incremental one only its own.
        write(ids[5], 4);
        final PageSnapshot full = store.beginSnapshot();
        final PageSnapshot small = store.beginIncrementalSnapshot();
        assertThat(readSet(small)).containsExactly(ids[5]);
        final long beforeBoth = store.copiesOnWrite();
        for (long id : ids) {
            write(id, 5);
        }
        assertThat(store.copiesOnWrite() - beforeBoth).isEqualTo(ids.length);
        assertThat(TestPages.snapshotVersion(full, ids[5])).isEqualTo(4);
        store.endSnapshot(full);
        store.endSnapshot(small);
        final PageSnapshot third = store.beginIncrementalSnapshot();
        final long beforeNone = store.copiesOnWrite();
        write(ids[0], 6);
        assertThat(store.copiesOnWrite())
                .as("ids[0] last changed before the base")
                .isEqualTo(beforeNone + 1);
        store.endSnapshot(third);
    }

    @Test
    void freedPagesStayReadableUntilNoSnapshotContainsThem() {
        final long a = allocate(1);
        final PageSnapshot s1 = store.beginSnapshot();
        write(a, 2);
        final PageSnapshot s2 = store.beginSnapshot();
        store.freePage(a);
        final PageSnapshot s3 = store.beginSnapshot();
        assertThat(s3.contains(a)).isFalse();
        assertThat(s2.contains(a)).isTrue();
        assertThat(store.retiredPages()).isEqualTo(1);
        store.endSnapshot(s2);
        assertThat(TestPages.snapshotVersion(s1, a)).isEqualTo(1);
        store.endSnapshot(s1);
        assertThat(store.retiredPages()).isZero();
        assertThat(store.sidePages()).isZero();
        store.endSnapshot(s3);
        final List<Long> reused = new ArrayList<>();
        for (int i = 0; i < SEGMENT / PAGE; i++) {
            reused.add(store.allocatePage());
        }
        assertThat(reused).contains(a);
    }

    @Test
    void endingASnapshotTwiceOrOfAnotherStoreIsRefused() {
        allocate(1);
        final PageSnapshot s = store.beginSnapshot();
        store.endSnapshot(s);
        assertThatThrownBy(() -> store.endSnapshot(s))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("not a snapshot in flight");
        assertThatThrownBy(() -> store.completeSnapshot(s)).isInstanceOf(StateAccessException.class);
        store.confirmSnapshot(s);
        assertThat(store.lastConfirmedEpoch()).isEqualTo(s.epoch());
        try (PageStore other = PageStore.open(TestPages.context(dir.resolve("other"), PAGE, SEGMENT, 2L * SEGMENT))) {
            other.allocatePage();
            final PageSnapshot foreign = other.beginSnapshot();
            assertThatThrownBy(() -> store.endSnapshot(foreign)).isInstanceOf(StateAccessException.class);
            assertThatThrownBy(() -> store.confirmSnapshot(foreign))
                    .isInstanceOf(StateAccessException.class)
                    .hasMessageContaining("not a snapshot of this store");
            other.endSnapshot(foreign);
        }
    }

    @Test
    void dirtySetsAndSidePagesStayBoundedOverThousandsOfCheckpoints() {
        final long[] ids = new long[24];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = allocate(0);
        }
        final long seed = Long.getLong("tidemark.test.seed", System.nanoTime());
        System.out.println("dirtySetsAndSidePagesStayBoundedOverThousandsOfCheckpoints seed=" + seed);
        final java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        final java.util.ArrayDeque<PageSnapshot> inFlight = new java.util.ArrayDeque<>();
        int maxRetained = 0;
        int maxSides = 0;
        for (int checkpoint = 1; checkpoint <= 5_000; checkpoint++) {
            for (int w = 0; w < 3; w++) {
                write(ids[random.nextInt(ids.length)], checkpoint);
            }
            if (inFlight.size() == 3) {
                final PageSnapshot oldest = inFlight.poll();
                store.endSnapshot(oldest);
                if (random.nextInt(10) != 0) { // one in ten fails and is never confirmed
                    store.confirmSnapshot(oldest);
                }
            }
            inFlight.add(random.nextBoolean() ? store.beginIncrementalSnapshot() : store.beginSnapshot());
            maxRetained = Math.max(maxRetained, store.retainedDirtySets());
            maxSides = Math.max(maxSides, store.sidePages());
        }
        System.out.println("max retained dirty sets=" + maxRetained + ", max side pages=" + maxSides);
        assertThat(maxRetained).isLessThan(40);
        assertThat(maxSides).isLessThanOrEqualTo(3 * ids.length);
        while (!inFlight.isEmpty()) {
            store.endSnapshot(inFlight.poll());
        }
        assertThat(store.sidePages()).isZero();
        assertThat(store.retiredPages()).isZero();

        // Never confirmed again: the sets since the last confirmed snapshot are merged, not kept one per epoch.
        final long changed = ids[random.nextInt(ids.length)];
        final long unchanged = changed == ids[0] ? ids[1] : ids[0];
        final PageSnapshot confirmed = store.beginIncrementalSnapshot();
        store.completeSnapshot(confirmed);
        for (int checkpoint = 0; checkpoint < 2_000; checkpoint++) {
            if (checkpoint == 1_000) {
                write(changed, 1);
            }
            store.endSnapshot(store.beginIncrementalSnapshot());
            assertThat(store.retainedDirtySets()).isLessThan(40);
        }
        final PageSnapshot last = store.beginIncrementalSnapshot();
        assertThat(readSet(last)).containsExactly(changed);
        assertThat(last.inReadSet(unchanged)).isFalse();
        store.endSnapshot(last);
    }

    @Test
    void dirtySetsStayBoundedWhenNothingIsEverConfirmed() {
        final long a = allocate(0);
        for (int checkpoint = 0; checkpoint < 5_000; checkpoint++) {
            write(a, checkpoint);
            store.endSnapshot(store.beginIncrementalSnapshot());
        }
        assertThat(store.retainedDirtySets()).isLessThan(40);
        assertThat(store.sidePages()).isZero();
    }

    @Test
    void confirmingInsideAMergedRangeUsesTheOlderBoundary() {
        final long a = allocate(0);
        final long b = allocate(0);
        store.completeSnapshot(store.beginSnapshot());
        write(a, 1);
        final PageSnapshot durableLater = store.beginIncrementalSnapshot();
        store.endSnapshot(durableLater);
        for (int checkpoint = 0; checkpoint < 100; checkpoint++) {
            store.endSnapshot(store.beginIncrementalSnapshot()); // nothing confirmed: merged
        }
        write(b, 1);
        store.confirmSnapshot(durableLater);
        final PageSnapshot next = store.beginIncrementalSnapshot();
        // a changed before durableLater began, but its epoch was merged with later ones: reading it too is correct.
        assertThat(readSet(next)).contains(b);
        assertThat(TestPages.snapshotVersion(next, b)).isEqualTo(1);
        for (long id : readSet(next)) {
            write(id, 2);
        }
        if (next.inReadSet(a)) {
            assertThat(TestPages.snapshotVersion(next, a)).isEqualTo(1);
        }
        store.endSnapshot(next);
    }
}

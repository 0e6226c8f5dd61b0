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

class CopyOnWriteTest {
    private static final int SEGMENT = 16 * PAGE;

    @TempDir
    Path dir;

    private PageStore store;
    private final PageCursor cursor = new PageCursor();
    private final UnsafeBuffer target = new UnsafeBuffer(new byte[PAGE]);

    @BeforeEach
    void open() {
        store = PageStore.open(TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT));
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
        try (PageCursor page = store.acquireWrite(id, cursor)) {
            TestPages.fill(page.mutableBuffer(), id, version);
        }
    }

    @Test
    void writeAfterBeginIsCopiedFirstAndSnapshotSeesOldContent() {
        final long a = allocate(1);
        final PageSnapshot snapshot = store.beginSnapshot();
        assertThat(store.epoch()).isEqualTo(snapshot.epoch() + 1);
        write(a, 2);
        write(a, 3);
        assertThat(store.copiesOnWrite()).isEqualTo(1);
        assertThat(TestPages.snapshotVersion(snapshot, a)).isEqualTo(1);
        store.completeSnapshot(snapshot);
        try (PageCursor page = store.acquireRead(a, cursor)) {
            assertThat(TestPages.versionOf(page.buffer(), 0, PAGE, a)).isEqualTo(3);
        }
    }

    @Test
    void pageCapturedByTheReaderIsWrittenWithoutACopy() {
        final long a = allocate(1);
        final PageSnapshot snapshot = store.beginSnapshot();
        assertThat(TestPages.snapshotVersion(snapshot, a)).isEqualTo(1);
        write(a, 2);
        assertThat(store.copiesOnWrite()).isZero();
        assertThatThrownBy(() -> snapshot.readPage(a, target, 0))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("read twice");
        store.completeSnapshot(snapshot);
    }

    @Test
    void capturedPageCanBeReadAgainUntilRewritten() {
        final long a = allocate(1);
        final PageSnapshot snapshot = store.beginSnapshot();
        assertThat(TestPages.snapshotVersion(snapshot, a)).isEqualTo(1);
        assertThat(TestPages.snapshotVersion(snapshot, a)).isEqualTo(1);
        store.endSnapshot(snapshot);
    }

    @Test
    void pagesFreedDuringTheSnapshotStayReadableAndAreReusedOnlyAfterIt() {
        final long a = allocate(1);
        final long b = allocate(2);
        final PageSnapshot snapshot = store.beginSnapshot();
        write(b, 5);
        store.freePage(a);
        store.freePage(b);
        final long c = store.allocatePage();
        assertThat(c).isNotIn(a, b);
        assertThat(TestPages.livePages(snapshot)).containsExactly(a, b);
        assertThat(TestPages.snapshotVersion(snapshot, a)).isEqualTo(1);
        assertThat(TestPages.snapshotVersion(snapshot, b)).isEqualTo(2);
        assertThatThrownBy(() -> store.acquireRead(a, cursor)).isInstanceOf(StateAccessException.class);
        store.completeSnapshot(snapshot);
        final List<Long> reused = List.of(store.allocatePage(), store.allocatePage());
        assertThat(reused).contains(a, b);
    }

    @Test
    void pagesAllocatedAfterBeginAreNotInTheSnapshot() {
        final long a = allocate(1);
        final PageSnapshot snapshot = store.beginSnapshot();
        final long b = allocate(2);
        assertThat(snapshot.contains(a)).isTrue();
        assertThat(snapshot.contains(b)).isFalse();
        assertThat(TestPages.livePages(snapshot)).containsExactly(a);
        assertThatThrownBy(() -> snapshot.readPage(b, target, 0)).isInstanceOf(StateAccessException.class);
        store.completeSnapshot(snapshot);
    }

    @Test
    void growthDuringTheSnapshotDoesNotLeakIntoIt() {
        for (int i = 0; i < 16; i++) {
            allocate(i);
        }
        final PageSnapshot snapshot = store.beginSnapshot();
        for (int i = 0; i < 16; i++) {
            write(i, 100 + i);
        }
        assertThat(store.segmentCount()).as("side pages grew the store").isEqualTo(2);
        assertThat(snapshot.pageCount()).isEqualTo(16);
        for (int i = 0; i < 16; i++) {
            assertThat(TestPages.snapshotVersion(snapshot, i)).isEqualTo(i);
        }
        store.completeSnapshot(snapshot);
        assertThat(store.allocatedPages()).isEqualTo(16);
    }

    @Test
    void dirtySetCoversChangesSinceTheLastCompletedSnapshot() {
        final long a = allocate(1);
        final long b = allocate(1);
        final long c = allocate(1);
        PageSnapshot snapshot = store.beginSnapshot();
        assertThat(TestPages.dirtyPages(snapshot)).containsExactly(a, b, c);
        store.completeSnapshot(snapshot);

        write(a, 2);
        snapshot = store.beginSnapshot();
        write(b, 2); // after begin: belongs to the next snapshot
        assertThat(TestPages.dirtyPages(snapshot)).containsExactly(a);
        store.endSnapshot(snapshot);

        write(c, 3);
        snapshot = store.beginSnapshot();
        assertThat(TestPages.dirtyPages(snapshot))
                .as("aborted snapshot's pages merged back")
                .containsExactly(a, b, c);
        store.completeSnapshot(snapshot);

        snapshot = store.beginSnapshot();
        assertThat(TestPages.dirtyPages(snapshot)).isEmpty();
        assertThat(TestPages.livePages(snapshot)).containsExactly(a, b, c);
        store.completeSnapshot(snapshot);
    }

    @Test
    void freedDirtyPagesAreNotReported() {
        final long a = allocate(1);
        final long b = allocate(1);
        store.freePage(a);
        final PageSnapshot snapshot = store.beginSnapshot();
        assertThat(TestPages.dirtyPages(snapshot)).containsExactly(b);
        store.completeSnapshot(snapshot);
    }

    @Test
    void snapshotProtocolMisuseIsRejected() {
        final long a = allocate(1);
        store.acquireWrite(a, cursor);
        assertThatThrownBy(store::beginSnapshot)
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("writeCursors=1");
        cursor.release();
        final PageSnapshot snapshot = store.beginSnapshot();
        final List<PageSnapshot> more = new ArrayList<>();
        for (int i = 1; i < PageStoreContext.DEFAULT_MAX_SNAPSHOTS_IN_FLIGHT; i++) {
            more.add(i % 2 == 0 ? store.beginSnapshot() : store.beginIncrementalSnapshot());
        }
        assertThatThrownBy(store::beginIncrementalSnapshot)
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("maxSnapshotsInFlight=4")
                .hasMessageContaining("inFlight=4")
                .hasMessageContaining("limit=4");
        more.forEach(store::endSnapshot);
        store.completeSnapshot(snapshot);
        assertThatThrownBy(() -> store.completeSnapshot(snapshot)).isInstanceOf(StateAccessException.class);
        assertThatThrownBy(() -> snapshot.readPage(a, target, 0))
                .isInstanceOf(StateAccessException.class)
                .hasMessageContaining("ended");
        assertThat(snapshot.isActive()).isFalse();
    }

    @Test
    void sidePagesAreRecycledAcrossSnapshots() {
        for (int i = 0; i < 8; i++) {
            allocate(i);
        }
        for (int round = 0; round < 5; round++) {
            final PageSnapshot snapshot = store.beginSnapshot();
            for (int i = 0; i < 8; i++) {
                write(i, round * 100L + i);
            }
            for (int i = 0; i < 8; i++) {
                assertThat(TestPages.snapshotVersion(snapshot, i)).isEqualTo(round == 0 ? i : (round - 1) * 100L + i);
            }
            store.completeSnapshot(snapshot);
        }
        assertThat(store.segmentCount()).isEqualTo(1);
        assertThat(store.copiesOnWrite()).isEqualTo(40);
    }
}

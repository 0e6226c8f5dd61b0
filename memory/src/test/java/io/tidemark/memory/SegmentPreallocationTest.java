package io.tidemark.memory;

import static io.tidemark.memory.TestPages.PAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SegmentPreallocationTest {
    private static final int SEGMENT = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void segmentFileHasAllItsBlocksAllocated() throws Exception {
        // Control: the check must be able to fail, so first prove it sees a sparse file as sparse here.
        final Path sparse = dir.resolve("sparse-control");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(SEGMENT);
        }
        assertThat(allocatedBytes(sparse))
                .as("file system keeps setLength files sparse")
                .isLessThan(SEGMENT);
        Files.delete(sparse);

        try (PageStore store = PageStore.open(TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT))) {
            store.allocatePage();
            final Path segment = dir.resolve("segment-000000.dat");
            assertThat(Files.size(segment)).isEqualTo(SEGMENT);
            assertThat(allocatedBytes(segment)).isGreaterThanOrEqualTo(SEGMENT);
        }
    }

    /** st_blocks * block unit from stat(1): what the file system really reserved. */
    static long allocatedBytes(Path path) throws IOException, InterruptedException {
        final Process stat = new ProcessBuilder("stat", "-c", "%b %B", path.toString())
                .redirectErrorStream(true)
                .start();
        final String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(stat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stat.exitValue()).as(out).isZero();
        final String[] fields = out.split(" ");
        return Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
    }

    @Test
    void diskFullAtGrowthIsAStorageSpaceErrorAndTheFileIsRemoved() {
        final FaultyChannels channels = new FaultyChannels(SEGMENT + SEGMENT / 2, "No space left on device");
        final PageStoreContext context =
                TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT).fileChannelFactory(channels);
        try (PageStore store = PageStore.open(context);
                PageCursor cursor = new PageCursor()) {
            final int pagesPerSegment = SEGMENT / PAGE;
            final long[] ids = new long[pagesPerSegment];
            for (int i = 0; i < pagesPerSegment; i++) {
                ids[i] = store.allocatePage();
                try (PageCursor page = store.acquireWrite(ids[i], cursor)) {
                    TestPages.fill(page.mutableBuffer(), ids[i], i);
                }
            }
            final Path second = dir.resolve("segment-000001.dat");
            assertThatThrownBy(store::allocatePage)
                    .isInstanceOf(StorageSpaceException.class)
                    .hasMessageContaining("file=" + second)
                    .hasMessageContaining("No space left on device");
            assertThat(second).doesNotExist();
            assertThat(store.segmentCount()).isEqualTo(1);
            assertThat(store.allocatedPages()).isEqualTo(pagesPerSegment);

            // The store is still consistent: old pages read back, and growth works once space returns.
            for (int i = 0; i < pagesPerSegment; i++) {
                try (PageCursor page = store.acquireRead(ids[i], cursor)) {
                    assertThat(TestPages.versionOf(page.buffer(), 0, PAGE, ids[i]))
                            .isEqualTo(i);
                }
            }
            channels.quota(Long.MAX_VALUE);
            assertThat(store.allocatePage()).isEqualTo(pagesPerSegment);
            assertThat(second).exists();
        }
    }

    @Test
    void fileSizeLimitIsAStorageSpaceError() {
        final FaultyChannels channels = new FaultyChannels(SEGMENT / 3, "File too large");
        try (PageStore store = PageStore.open(
                TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT).fileChannelFactory(channels))) {
            assertThatThrownBy(store::allocatePage)
                    .isInstanceOf(StorageSpaceException.class)
                    .hasMessageContaining("segment-000000.dat");
            assertThat(dir.resolve("segment-000000.dat")).doesNotExist();
        }
    }

    @Test
    void otherIoFailureIsAStorageIoErrorNamingTheFile() {
        final FaultyChannels channels = new FaultyChannels(4096, "Input/output error");
        try (PageStore store = PageStore.open(
                TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT).fileChannelFactory(channels))) {
            assertThatThrownBy(store::allocatePage)
                    .isInstanceOf(StorageIOException.class)
                    .hasMessageContaining("segment-000000.dat")
                    .hasMessageContaining("Input/output error");
            assertThat(dir.resolve("segment-000000.dat")).doesNotExist();
        }
    }

    @Test
    void copyOnWriteThatNeedsGrowthOnAFullDiskFailsCleanly() {
        final FaultyChannels channels = new FaultyChannels(SEGMENT, "No space left on device");
        try (PageStore store = PageStore.open(
                        TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT).fileChannelFactory(channels));
                PageCursor cursor = new PageCursor()) {
            final int pagesPerSegment = SEGMENT / PAGE;
            for (int i = 0; i < pagesPerSegment; i++) {
                final long id = store.allocatePage();
                try (PageCursor page = store.acquireWrite(id, cursor)) {
                    TestPages.fill(page.mutableBuffer(), id, 1);
                }
            }
            final PageSnapshot snapshot = store.beginSnapshot();
            assertThatThrownBy(() -> store.acquireWrite(0, cursor)).isInstanceOf(StorageSpaceException.class);
            assertThat(cursor.isAcquired()).isFalse();
            // Nothing was written: the snapshot still reads the page from the live copy.
            final org.agrona.concurrent.UnsafeBuffer target = new org.agrona.concurrent.UnsafeBuffer(new byte[PAGE]);
            snapshot.readPage(0, target, 0);
            assertThat(TestPages.versionOf(target, 0, PAGE, 0)).isEqualTo(1);
            store.endSnapshot(snapshot);
            // After the snapshot, a write needs no side page.
            try (PageCursor page = store.acquireWrite(0, cursor)) {
                TestPages.fill(page.mutableBuffer(), 0, 2);
            }
        }
    }
}

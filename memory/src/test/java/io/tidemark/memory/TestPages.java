package io.tidemark.memory;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Shared helpers: small stores and page fill patterns that identify (page, version). */
final class TestPages {
    static final int PAGE = 4096;

    private TestPages() {}

    static PageStoreContext context(Path dir, int pageSize, int segmentSize, long budget) {
        return new PageStoreContext()
                .stateDirectory(dir)
                .pageSize(pageSize)
                .segmentSize(segmentSize)
                .residentBudget(budget);
    }

    /** Fills the page with longs derived from (pageId, version): any torn or stale page is detected. */
    static void fill(MutableDirectBuffer buffer, long pageId, long version) {
        final long pattern = pattern(pageId, version);
        for (int i = 0; i < buffer.capacity(); i += Long.BYTES) {
            buffer.putLong(i, pattern + i, ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** The version the page was filled with, or throws if the page is not a uniform fill of pageId. */
    static long versionOf(DirectBuffer buffer, int offset, int length, long pageId) {
        final long first = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        final long version = (first - pattern(pageId, 0)) >> 16;
        final long pattern = pattern(pageId, version);
        for (int i = 0; i < length; i += Long.BYTES) {
            final long actual = buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN);
            if (actual != pattern + i) {
                throw new AssertionError("torn page: pageId=" + pageId + ", offset=" + i + ", expected=" + (pattern + i)
                        + ", actual=" + actual + ", version of first long=" + version);
            }
        }
        return version;
    }

    /** Reads the page through the snapshot and returns its fill version. */
    static long snapshotVersion(PageSnapshot snapshot, long pageId) {
        final UnsafeBuffer target = new UnsafeBuffer(new byte[snapshot.pageSize()]);
        snapshot.readPage(pageId, target, 0);
        return versionOf(target, 0, snapshot.pageSize(), pageId);
    }

    /** The snapshot's {@code nextDirtyPage} list. */
    static List<Long> dirtyPages(PageSnapshot snapshot) {
        final List<Long> ids = new ArrayList<>();
        for (long id = snapshot.nextDirtyPage(0); id >= 0; id = snapshot.nextDirtyPage(id + 1)) {
            ids.add(id);
        }
        return ids;
    }

    /** The snapshot's {@code nextLivePage} list. */
    static List<Long> livePages(PageSnapshot snapshot) {
        final List<Long> ids = new ArrayList<>();
        for (long id = snapshot.nextLivePage(0); id >= 0; id = snapshot.nextLivePage(id + 1)) {
            ids.add(id);
        }
        return ids;
    }

    private static long pattern(long pageId, long version) {
        return (pageId << 40) + (version << 16);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}

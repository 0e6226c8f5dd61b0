package io.tidemark.memory;

import io.tidemark.StorageSpaceException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Child JVM for {@link TmpfsDiskFullTest}: runs on a tiny tmpfs with a 1 MiB budget, writes pages until the
 * write-backs fill the disk, then checks the typed error and that no page was lost: it frees a few resident pages
 * (their frames come back without a write-back) and reads every other page back. Reports by lines on stdout; exit
 * code 0 only if every check passed.
 */
public final class DiskFullChild {
    private static final int PAGE = 64 * 1024;
    private static final int SEGMENT = 1024 * 1024;
    private static final int FREED = 4;

    private DiskFullChild() {}

    public static void main(String[] args) {
        final Path dir = Paths.get(args[0]).resolve("state");
        final PageStoreContext context = TestPages.context(dir, PAGE, SEGMENT, 16L * PAGE);
        int pages = 0;
        try (PageStore store = PageStore.open(context);
                PageCursor cursor = new PageCursor()) {
            try {
                while (pages < 10_000) {
                    final long id = store.allocatePage();
                    try (PageCursor page = store.acquireWrite(id, cursor)) {
                        TestPages.fill(page.mutableBuffer(), id, 3);
                    }
                    pages++;
                }
                System.out.println("FAIL no StorageSpaceException after pages=" + pages);
                System.exit(2);
            } catch (StorageSpaceException ex) {
                System.out.println("SPACE " + ex.getMessage());
            }
            for (long id = pages - FREED; id < pages; id++) {
                store.freePage(id);
            }
            for (long id = 0; id < pages - FREED; id++) {
                try (PageCursor page = store.acquireRead(id, cursor)) {
                    if (TestPages.versionOf(page.buffer(), 0, PAGE, id) != 3) {
                        System.out.println("FAIL page " + id);
                        System.exit(3);
                    }
                }
            }
            System.out.println("OK pages=" + pages + " segments=" + store.segmentFiles());
        }
        System.exit(0);
    }
}

package io.tidemark.memory;

import io.tidemark.StorageSpaceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Child JVM for {@link TmpfsDiskFullTest}: runs on a tiny tmpfs, grows a store until the disk is full while writing
 * every byte of every page (a sparse segment would crash here with SIGBUS), then checks the typed error, the cleanup
 * and that every page still reads back. Reports by lines on stdout; exit code 0 only if every check passed.
 */
public final class DiskFullChild {
    private static final int PAGE = 64 * 1024;
    private static final int SEGMENT = 1024 * 1024;

    private DiskFullChild() {}

    public static void main(String[] args) {
        final Path dir = Paths.get(args[0]).resolve("state");
        final PageStoreContext context = TestPages.context(dir, PAGE, SEGMENT, 2L * SEGMENT);
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
            final Path failed = dir.resolve(String.format("segment-%06d.dat", store.segmentCount()));
            System.out.println("CLEANED " + !Files.exists(failed));
            for (long id = 0; id < pages; id++) {
                try (PageCursor page = store.acquireRead(id, cursor)) {
                    TestPages.versionOf(page.buffer(), 0, PAGE, id);
                }
            }
            System.out.println("OK pages=" + pages + " segments=" + store.segmentCount());
        }
        System.exit(0);
    }
}

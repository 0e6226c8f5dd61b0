package io.tidemark.state.offheap;

import io.tidemark.ConfigurationException;
import io.tidemark.backend.canonical.CanonicalFormat;
import io.tidemark.memory.PageStoreContext;
import java.nio.file.Path;

/**
 * Configuration of the {@code offheap} backend, validated once by {@link #conclude()} (the backend concludes it on
 * first use). Mutable until then; not thread safe while being configured. Every keyed backend the factory creates gets
 * its own page store with these settings in {@code <workingDirectory>/offheap-pages}.
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>setting</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>pageSize</td><td>16 KiB</td><td>power of two in [4 KiB, 1 MiB]</td></tr>
 *   <tr><td>segmentSize</td><td>0: follows the budget</td><td>power of two in [pageSize, 1 GiB]; 0 means
 *       {@code clamp(pow2floor(residentBudget / 16), 1 MiB, 64 MiB)}</td></tr>
 *   <tr><td>residentBudget</td><td>256 MiB</td><td>at least 8 * pageSize: bytes of resident pages per backend (32 MiB
 *       and up is a sensible floor)</td></tr>
 *   <tr><td>maxStoreSize</td><td>1 TiB</td><td>multiple of segmentSize: bytes of pages per backend</td></tr>
 *   <tr><td>maxKeyBytes</td><td>1024</td><td>[1, pageSize / 2 - 40]: serialized key plus namespace</td></tr>
 *   <tr><td>maxValueBytes</td><td>64 MiB</td><td>[8, 1 GiB]: one serialized value (a whole list or map)</td></tr>
 * </table>
 */
public final class OffHeapBackendContext {
    public static final int DEFAULT_PAGE_SIZE = 16 * 1024;
    public static final int MAX_PAGE_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_KEY_BYTES = 1024;
    public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024 * 1024;

    private int pageSize = DEFAULT_PAGE_SIZE;
    private int segmentSize = PageStoreContext.SEGMENT_SIZE_FROM_BUDGET;
    private long residentBudget = PageStoreContext.DEFAULT_RESIDENT_BUDGET;
    private long maxStoreSize = PageStoreContext.DEFAULT_MAX_STORE_SIZE;
    private int maxKeyBytes = DEFAULT_MAX_KEY_BYTES;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private boolean concluded;

    /**
     * Checks every setting and freezes the context.
     *
     * @throws ConfigurationException naming the first setting out of range, its value and the allowed range.
     */
    public synchronized OffHeapBackendContext conclude() {
        if (concluded) {
            return this;
        }
        if (pageSize > MAX_PAGE_SIZE) {
            throw new ConfigurationException("pageSize out of range: pageSize=" + pageSize
                    + ", allowed=power of two in [" + PageStoreContext.MIN_PAGE_SIZE + ", " + MAX_PAGE_SIZE + "]");
        }
        // The page store checks page size, segment size, budget and store size with its own messages.
        pageStoreContext(Path.of(".")).conclude();
        final int keyLimit = Math.min(LogRecord.MAX_PART, pageSize / 2 - 40);
        if (maxKeyBytes < 1 || maxKeyBytes > keyLimit) {
            throw new ConfigurationException("maxKeyBytes out of range: maxKeyBytes=" + maxKeyBytes + ", allowed=[1, "
                    + keyLimit + "] for pageSize=" + pageSize);
        }
        if (maxValueBytes < 8 || maxValueBytes > CanonicalFormat.MAX_ENTRY_PART) {
            throw new ConfigurationException("maxValueBytes out of range: maxValueBytes=" + maxValueBytes
                    + ", allowed=[8, " + CanonicalFormat.MAX_ENTRY_PART + "]");
        }
        concluded = true;
        return this;
    }

    /** A page store context with these settings for {@code directory}. */
    PageStoreContext pageStoreContext(Path directory) {
        return new PageStoreContext()
                .stateDirectory(directory)
                .pageSize(pageSize)
                .segmentSize(segmentSize)
                .residentBudget(residentBudget)
                .maxStoreSize(maxStoreSize);
    }

    private void requireMutable() {
        if (concluded) {
            throw new ConfigurationException("context already concluded: settings are frozen");
        }
    }

    public boolean isConcluded() {
        return concluded;
    }

    public synchronized OffHeapBackendContext pageSize(int pageSize) {
        requireMutable();
        this.pageSize = pageSize;
        return this;
    }

    public int pageSize() {
        return pageSize;
    }

    public synchronized OffHeapBackendContext segmentSize(int segmentSize) {
        requireMutable();
        this.segmentSize = segmentSize;
        return this;
    }

    public int segmentSize() {
        return segmentSize;
    }

    public synchronized OffHeapBackendContext residentBudget(long residentBudget) {
        requireMutable();
        this.residentBudget = residentBudget;
        return this;
    }

    public long residentBudget() {
        return residentBudget;
    }

    public synchronized OffHeapBackendContext maxStoreSize(long maxStoreSize) {
        requireMutable();
        this.maxStoreSize = maxStoreSize;
        return this;
    }

    public long maxStoreSize() {
        return maxStoreSize;
    }

    public synchronized OffHeapBackendContext maxKeyBytes(int maxKeyBytes) {
        requireMutable();
        this.maxKeyBytes = maxKeyBytes;
        return this;
    }

    public int maxKeyBytes() {
        return maxKeyBytes;
    }

    public synchronized OffHeapBackendContext maxValueBytes(int maxValueBytes) {
        requireMutable();
        this.maxValueBytes = maxValueBytes;
        return this;
    }

    public int maxValueBytes() {
        return maxValueBytes;
    }

    @Override
    public String toString() {
        return "OffHeapBackendContext{pageSize=" + pageSize + ", segmentSize=" + segmentSize + ", residentBudget="
                + residentBudget + ", maxStoreSize=" + maxStoreSize + ", maxKeyBytes=" + maxKeyBytes
                + ", maxValueBytes=" + maxValueBytes + "}";
    }
}

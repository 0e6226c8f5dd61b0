package io.tidemark.memory;

import io.tidemark.ConfigurationException;
import java.nio.file.Path;

/**
 * Configuration of a {@link PageStore}, validated once by {@link #conclude()}. Mutable until then; setters return
 * {@code this} for chaining. Not thread safe: configure on one thread, then hand it to {@link PageStore#open}.
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>setting</th><th>default</th><th>allowed</th></tr>
 *   <tr><td>stateDirectory</td><td>none (required)</td><td>a path; created if missing</td></tr>
 *   <tr><td>pageSize</td><td>64 KiB</td><td>power of two in [4 KiB, 16 MiB]</td></tr>
 *   <tr><td>segmentSize</td><td>0: follows the budget</td><td>power of two in [pageSize, 1 GiB]; 0 means
 *       {@code clamp(pow2floor(residentBudget / 16), 1 MiB, 64 MiB)}, at least pageSize</td></tr>
 *   <tr><td>residentBudget</td><td>256 MiB</td><td>at least 8 * pageSize; bytes of resident pages (frames) at
 *       once</td></tr>
 *   <tr><td>maxStoreSize</td><td>1 TiB</td><td>multiple of segmentSize in [segmentSize, pageSize * 2^28]</td></tr>
 *   <tr><td>maxSnapshotsInFlight</td><td>4</td><td>[1, 64]; snapshots begun and not ended at once</td></tr>
 *   <tr><td>fileChannelFactory</td><td>{@link FileChannelFactory#DEFAULT}</td><td>non-null</td></tr>
 * </table>
 */
public final class PageStoreContext {
    public static final int DEFAULT_PAGE_SIZE = 64 * 1024;
    public static final int MIN_PAGE_SIZE = 4 * 1024;
    public static final int MAX_PAGE_SIZE = 16 * 1024 * 1024;
    /** {@link #segmentSize(int)} value that derives the segment size from the budget (the default). */
    public static final int SEGMENT_SIZE_FROM_BUDGET = 0;

    public static final int MIN_DERIVED_SEGMENT_SIZE = 1024 * 1024;
    public static final int MAX_DERIVED_SEGMENT_SIZE = 64 * 1024 * 1024;
    /** The smallest budget, in pages: a few cursors and snapshot readers must never hold every frame. */
    public static final int MIN_RESIDENT_PAGES = 8;

    public static final int MAX_SEGMENT_SIZE = 1024 * 1024 * 1024;
    public static final long DEFAULT_RESIDENT_BUDGET = 256L * 1024 * 1024;
    public static final long DEFAULT_MAX_STORE_SIZE = 1L << 40;
    public static final int DEFAULT_MAX_SNAPSHOTS_IN_FLIGHT = 4;
    public static final int MAX_SNAPSHOTS_IN_FLIGHT = 64;

    private Path stateDirectory;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private int segmentSize = SEGMENT_SIZE_FROM_BUDGET;
    private long residentBudget = DEFAULT_RESIDENT_BUDGET;
    private long maxStoreSize = DEFAULT_MAX_STORE_SIZE;
    private int maxSnapshotsInFlight = DEFAULT_MAX_SNAPSHOTS_IN_FLIGHT;
    private FileChannelFactory fileChannelFactory = FileChannelFactory.DEFAULT;
    private boolean concluded;

    /**
     * Checks every setting and freezes the context.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting out of range, its value and the allowed range.
     */
    public PageStoreContext conclude() {
        if (stateDirectory == null) {
            throw new ConfigurationException("stateDirectory is required: stateDirectory=null, allowed=a path");
        }
        requirePowerOfTwo("pageSize", pageSize, MIN_PAGE_SIZE, MAX_PAGE_SIZE);
        final long minBudget = (long) MIN_RESIDENT_PAGES * pageSize;
        if (residentBudget < minBudget) {
            throw new ConfigurationException("residentBudget out of range: residentBudget=" + residentBudget
                    + ", allowed=[" + minBudget + " (" + MIN_RESIDENT_PAGES + " * pageSize), " + Long.MAX_VALUE + "]");
        }
        final int segment =
                segmentSize == SEGMENT_SIZE_FROM_BUDGET ? segmentSizeFor(residentBudget, pageSize) : segmentSize;
        requirePowerOfTwo("segmentSize", segment, pageSize, MAX_SEGMENT_SIZE);
        final long maxAllowed = (long) pageSize * PageState.MAX_PAGES;
        if (maxStoreSize < segment || maxStoreSize > maxAllowed || maxStoreSize % segment != 0) {
            throw new ConfigurationException("maxStoreSize out of range: maxStoreSize=" + maxStoreSize
                    + ", allowed=multiple of segmentSize=" + segment + " in [" + segment + ", " + maxAllowed
                    + " (pageSize * 2^28)]");
        }
        if (maxSnapshotsInFlight < 1 || maxSnapshotsInFlight > MAX_SNAPSHOTS_IN_FLIGHT) {
            throw new ConfigurationException("maxSnapshotsInFlight out of range: maxSnapshotsInFlight="
                    + maxSnapshotsInFlight + ", allowed=[1, " + MAX_SNAPSHOTS_IN_FLIGHT + "]");
        }
        if (fileChannelFactory == null) {
            throw new ConfigurationException(
                    "fileChannelFactory is required: fileChannelFactory=null, allowed=non-null");
        }
        segmentSize = segment;
        concluded = true;
        return this;
    }

    /** The segment size that follows the budget: {@code clamp(pow2floor(budget / 16), 1 MiB, 64 MiB)}, >= pageSize. */
    static int segmentSizeFor(long residentBudget, int pageSize) {
        final long derived = Long.highestOneBit(Math.max(1, residentBudget / 16));
        final long clamped = Math.max(MIN_DERIVED_SEGMENT_SIZE, Math.min(MAX_DERIVED_SEGMENT_SIZE, derived));
        return (int) Math.max(pageSize, clamped);
    }

    private static void requirePowerOfTwo(String name, int value, int min, int max) {
        if (value < min || value > max || Integer.bitCount(value) != 1) {
            throw new ConfigurationException(name + " out of range: " + name + "=" + value
                    + ", allowed=power of two in [" + min + ", " + max + "]");
        }
    }

    private void requireMutable() {
        if (concluded) {
            throw new ConfigurationException("context already concluded: settings are frozen");
        }
    }

    public PageStoreContext stateDirectory(Path stateDirectory) {
        requireMutable();
        this.stateDirectory = stateDirectory;
        return this;
    }

    public Path stateDirectory() {
        return stateDirectory;
    }

    public PageStoreContext pageSize(int pageSize) {
        requireMutable();
        this.pageSize = pageSize;
        return this;
    }

    public int pageSize() {
        return pageSize;
    }

    public PageStoreContext segmentSize(int segmentSize) {
        requireMutable();
        this.segmentSize = segmentSize;
        return this;
    }

    /**
     * Bytes per segment: the unit of page-id ranges and of segment files. {@value #SEGMENT_SIZE_FROM_BUDGET} (the
     * default) until {@link #conclude()} derives it from the budget.
     */
    public int segmentSize() {
        return segmentSize;
    }

    public PageStoreContext residentBudget(long residentBudget) {
        requireMutable();
        this.residentBudget = residentBudget;
        return this;
    }

    public long residentBudget() {
        return residentBudget;
    }

    public PageStoreContext maxStoreSize(long maxStoreSize) {
        requireMutable();
        this.maxStoreSize = maxStoreSize;
        return this;
    }

    public long maxStoreSize() {
        return maxStoreSize;
    }

    /**
     * Snapshots that may be in flight (begun and not ended) at once; one more is refused. Each keeps the versions of
     * the pages it still has to read (side pages), and the owner checks each of them on the first write of a page in
     * an epoch.
     */
    public PageStoreContext maxSnapshotsInFlight(int maxSnapshotsInFlight) {
        requireMutable();
        this.maxSnapshotsInFlight = maxSnapshotsInFlight;
        return this;
    }

    public int maxSnapshotsInFlight() {
        return maxSnapshotsInFlight;
    }

    public PageStoreContext fileChannelFactory(FileChannelFactory fileChannelFactory) {
        requireMutable();
        this.fileChannelFactory = fileChannelFactory;
        return this;
    }

    public FileChannelFactory fileChannelFactory() {
        return fileChannelFactory;
    }

    public boolean isConcluded() {
        return concluded;
    }

    @Override
    public String toString() {
        return "PageStoreContext{stateDirectory=" + stateDirectory + ", pageSize=" + pageSize + ", segmentSize="
                + segmentSize + ", residentBudget=" + residentBudget + ", maxStoreSize=" + maxStoreSize
                + ", maxSnapshotsInFlight=" + maxSnapshotsInFlight + "}";
    }
}

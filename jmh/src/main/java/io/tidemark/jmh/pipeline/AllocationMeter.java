package io.tidemark.jmh.pipeline;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated per record by the thread that owns it (an operator thread), from HotSpot's per-thread allocation
 * counter read every {@value #EVERY} measured records: its first and last readings give the bytes per record over the
 * measured window, whatever that thread allocated for them (the operator, the runtime's record path, and checkpoint
 * work done on that thread, such as a synchronous snapshot part). One thread only; the readings do not allocate.
 */
final class AllocationMeter {
    /** Records between two readings (a power of two). */
    static final long EVERY = 1 << 16;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long records;
    private long firstBytes = -1;
    private long firstRecords;
    private long lastBytes;
    private long lastRecords;

    /** Counts one measured record, and reads the counter every {@link #EVERY} of them. */
    void record() {
        if ((records++ & (EVERY - 1)) != 0) {
            return;
        }
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        if (firstBytes < 0) {
            firstBytes = bytes;
            firstRecords = records;
        } else {
            lastBytes = bytes;
            lastRecords = records;
        }
    }

    /** Bytes per record between the first and the last reading; -1 with fewer than two readings. */
    double bytesPerRecord() {
        return lastRecords > firstRecords ? (double) (lastBytes - firstBytes) / (lastRecords - firstRecords) : -1;
    }
}

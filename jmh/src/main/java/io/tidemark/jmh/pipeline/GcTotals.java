package io.tidemark.jmh.pipeline;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Collections and their accumulated time over every collector of the JVM, read from the platform MXBeans: the
 * difference of two readings says how much garbage collection a run had, to read its latency tail against. Cold path.
 *
 * @param count collections
 * @param millis accumulated collection time (as the collectors report it; for G1 the pauses of young and mixed
 *     collections, and the concurrent cycles' time under their own bean)
 */
record GcTotals(long count, long millis) {
    static GcTotals now() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new GcTotals(count, millis);
    }

    GcTotals since(GcTotals earlier) {
        return new GcTotals(count - earlier.count, millis - earlier.millis);
    }
}

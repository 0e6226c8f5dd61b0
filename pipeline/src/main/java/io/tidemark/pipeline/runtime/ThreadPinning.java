package io.tidemark.pipeline.runtime;

import net.openhft.affinity.AffinityLock;

/**
 * Runs an operator thread pinned to a core of its own (OpenHFT affinity), released when the thread ends. Optional and
 * off by default: on a machine with fewer cores than operator threads pinning only adds contention.
 */
final class ThreadPinning {
    private ThreadPinning() {}

    static void runPinned(Runnable task) {
        AffinityLock lock = AffinityLock.acquireLock();
        try {
            task.run();
        } finally {
            lock.release();
        }
    }
}

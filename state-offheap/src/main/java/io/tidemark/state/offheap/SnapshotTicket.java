package io.tidemark.state.offheap;

import io.tidemark.StateAccessException;
import io.tidemark.memory.PageSnapshot;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hand-over of one page snapshot between the owner thread, which began it and must end it, and the snapshot thread,
 * which reads it. The snapshot thread enters, reads, and finishes; the owner ends the page snapshot only after the
 * finish (happens-before through this object's monitor), or cancels a snapshot whose asynchronous part never started.
 */
final class SnapshotTicket {
    static final int NEW = 0;
    static final int RUNNING = 1;
    static final int SUCCEEDED = 2;
    static final int FAILED = 3;
    static final int CANCELLED = 4;

    final PageSnapshot snapshot;
    final boolean nativeFormat;
    final long checkpointId;
    /** Owner only: the checkpoint was aborted while the asynchronous part ran; its result is not to be referenced. */
    boolean aborted;

    private final AtomicInteger phase = new AtomicInteger(NEW);
    private PageUploads uploads;

    SnapshotTicket(PageSnapshot snapshot, boolean nativeFormat, long checkpointId) {
        this.snapshot = snapshot;
        this.nativeFormat = nativeFormat;
        this.checkpointId = checkpointId;
    }

    /** Snapshot thread: marks the asynchronous part started; refused if the owner cancelled it. */
    void enter() {
        if (phase.get() == RUNNING || phase.compareAndSet(NEW, RUNNING)) {
            return;
        }
        throw new StateAccessException("snapshot superseded before its asynchronous part ran: checkpoint="
                + checkpointId + ", epoch=" + snapshot.epoch());
    }

    /** Snapshot thread: the last call; the page snapshot is not touched afterwards. */
    synchronized void finish(boolean succeeded, PageUploads result) {
        final int end = succeeded ? SUCCEEDED : FAILED;
        if (phase.compareAndSet(RUNNING, end) || phase.compareAndSet(NEW, end)) {
            uploads = result;
        }
        notifyAll();
    }

    /** Any thread: true once the asynchronous part finished (the owner may end the page snapshot without waiting). */
    boolean isFinished() {
        return phase.get() >= SUCCEEDED;
    }

    /** Any thread, after {@link #isFinished()}: true if the asynchronous part succeeded. */
    boolean succeeded() {
        return phase.get() == SUCCEEDED;
    }

    /** Owner: cancels a snapshot whose asynchronous part has not started; false if it has. */
    boolean cancelIfNotStarted() {
        return phase.compareAndSet(NEW, CANCELLED);
    }

    /** Owner: waits (uninterruptibly) until the asynchronous part finished; returns SUCCEEDED or FAILED. */
    synchronized int awaitEnd() {
        boolean interrupted = false;
        while (phase.get() == RUNNING) {
            try {
                wait();
            } catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return phase.get();
    }

    synchronized PageUploads uploads() {
        return uploads;
    }
}

package io.tidemark.state.offheap;

import io.tidemark.memory.PageSnapshot;
import io.tidemark.memory.PageStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The snapshots of one backend whose page snapshot has not ended yet, oldest first, and the two ledgers their results
 * feed: {@link UploadLedger} (fused pages) and {@link LogLedger} (log ranges). The owner ends a page snapshot only
 * after its asynchronous part finished, records a native success as pending, confirms on
 * {@code notifyCheckpointComplete}, and supersedes snapshots that never started when the page store's in-flight limit
 * is reached. Never waits, except {@link #closeAll}.
 *
 * <p>Owner thread only (the tickets themselves are handed to snapshot threads).
 */
final class SnapshotTickets {
    private final PageStore store;
    private final List<SnapshotTicket> tickets = new ArrayList<>();
    final UploadLedger ledger = new UploadLedger();
    final LogLedger logLedger = new LogLedger();

    SnapshotTickets(PageStore store) {
        this.store = store;
    }

    void add(SnapshotTicket ticket) {
        tickets.add(ticket);
    }

    boolean isEmpty() {
        return tickets.isEmpty();
    }

    /**
     * Ends the page snapshots whose asynchronous part finished (a native success is recorded in the ledgers, pending
     * its confirmation). With {@code makeRoom}, when the page store's in-flight limit is reached, supersedes
     * (cancels) the oldest snapshots whose asynchronous part never started. Never waits.
     */
    void poll(boolean makeRoom) {
        boolean ended = false;
        for (int i = 0; i < tickets.size(); ) {
            final SnapshotTicket ticket = tickets.get(i);
            if (ticket.isFinished()) {
                store.endSnapshot(ticket.snapshot);
                if (ticket.succeeded() && ticket.nativeFormat && !ticket.aborted) {
                    ledger.uploaded(ticket.checkpointId, ticket.snapshot, ticket.uploads());
                    logLedger.uploaded(ticket.checkpointId, ticket.uploads().logMarker, ticket.uploads().logRanges);
                }
                tickets.remove(i);
                ended = true;
            } else {
                i++;
            }
        }
        final int limit = store.context().maxSnapshotsInFlight();
        for (int i = 0; makeRoom && tickets.size() >= limit && i < tickets.size(); ) {
            final SnapshotTicket ticket = tickets.get(i);
            if (ticket.cancelIfNotStarted()) {
                store.endSnapshot(ticket.snapshot);
                tickets.remove(i);
                ended = true;
            } else {
                i++;
            }
        }
        if (ended) {
            confirm(ledger.apply(oldestRunning()));
        }
    }

    /**
     * Ending finished page snapshots gives back their side pages (O(pages copied)): that is left to the key-change
     * poll and the notifications, so the synchronous part does it only when the in-flight limit needs the room.
     */
    void makeRoom() {
        if (tickets.size() >= store.context().maxSnapshotsInFlight()) {
            poll(true);
        }
    }

    private long oldestRunning() {
        long oldest = Long.MAX_VALUE;
        for (SnapshotTicket ticket : tickets) {
            if (ticket.nativeFormat) {
                oldest = Math.min(oldest, ticket.checkpointId);
            }
        }
        return oldest;
    }

    private void confirm(PageSnapshot snapshot) {
        if (snapshot != null) {
            store.confirmSnapshot(snapshot);
        }
    }

    void completed(long checkpointId) {
        poll(false);
        confirm(ledger.confirmed(checkpointId, oldestRunning()));
        logLedger.confirm(checkpointId);
    }

    void aborted(long checkpointId) {
        poll(false);
        for (SnapshotTicket ticket : tickets) {
            if (ticket.checkpointId == checkpointId && ticket.nativeFormat) {
                ticket.aborted = true; // still running: its uploads are dropped when it ends
            }
        }
        ledger.aborted(checkpointId);
        logLedger.aborted(checkpointId);
    }

    /** Cancels asynchronous parts that have not started and waits for running ones (their reader must be done). */
    void closeAll() {
        for (SnapshotTicket ticket : tickets) {
            if (!ticket.cancelIfNotStarted()) {
                ticket.awaitEnd();
            }
        }
        tickets.clear();
    }
}

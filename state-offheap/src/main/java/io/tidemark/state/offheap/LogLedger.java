package io.tidemark.state.offheap;

import io.tidemark.backend.snapshot.StreamHandle;
import java.util.List;
import java.util.TreeMap;

/**
 * Where the log's bytes live in streams of confirmed checkpoints, for incremental snapshots of the log (see
 * {@code docs/spec/hybrid-log.md} §6.3). A successful asynchronous part records the complete list of ranges its
 * checkpoint names (referenced and written) as pending; {@code notifyCheckpointComplete(N)} makes N's list the
 * confirmed one; pending lists of N and earlier checkpoints are dropped then (a subsumed checkpoint's streams may be
 * deleted, so only N's own list is kept). An abort drops its list, and since the confirmed marker did not move the
 * next checkpoint uploads those bytes again.
 *
 * <p>The owner records and confirms; snapshot threads read {@link #confirmed} (an immutable object behind a volatile
 * reference, captured by the synchronous part).
 */
final class LogLedger {
    /** Log bytes {@code [from, to)} at uncompressed offset {@code offset} of {@code stream}, one CRC32C per page. */
    record Range(long from, long to, StreamHandle stream, long offset, int[] checksums) {}

    /** The ranges a checkpoint named, covering {@code [begin, marker)} of the log. */
    record Confirmed(long marker, List<Range> ranges) {}

    static final Confirmed NONE = new Confirmed(0, List.of());

    private volatile Confirmed confirmed = NONE;
    private final TreeMap<Long, Confirmed> pending = new TreeMap<>();

    Confirmed confirmed() {
        return confirmed;
    }

    void uploaded(long checkpointId, long marker, List<Range> ranges) {
        pending.put(checkpointId, new Confirmed(marker, List.copyOf(ranges)));
    }

    void confirm(long checkpointId) {
        final Confirmed mine = pending.get(checkpointId);
        if (mine != null && mine.marker() >= confirmed.marker()) {
            confirmed = mine;
        }
        pending.headMap(checkpointId, true).clear();
    }

    void aborted(long checkpointId) {
        pending.remove(checkpointId);
    }

    /** After a restore: the restored log's ranges are the confirmed base of the next incremental checkpoint. */
    void restored(Confirmed base) {
        confirmed = base;
        pending.clear();
    }
}

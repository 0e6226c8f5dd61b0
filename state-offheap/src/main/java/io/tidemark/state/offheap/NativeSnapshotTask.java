package io.tidemark.state.offheap;

import io.tidemark.StorageIOException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.SerializerSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The asynchronous part of a native snapshot: writes the pages of the page snapshot's read set, key group after key
 * group, into one new shared stream covering the task's whole key-group range (page content as of the synchronous
 * part, read through the page snapshot), so a checkpoint costs this task one data file and one fsync however many key
 * groups changed; references the confirmed upload of every other page ({@link UploadLedger}); and lists every page of
 * every table with its stream (the new one, always stream 0, or a referenced earlier one) in the payload. All of this
 * is O(pages) and runs here, once, on one snapshot thread, never on the operator thread.
 */
final class NativeSnapshotTask {
    /** The index of the stream this snapshot writes in the handle's stream list. */
    private static final int NEW_STREAM = 0;

    private final SnapshotTicket ticket;
    private final List<CapturedTable> tables;
    private final UploadLedger ledger;
    private final boolean full;
    private final KeyGroupRange range;
    private final String operatorId;
    private final int pageSize;
    private final int maxParallelism;
    private final SerializerSnapshot<?> keySerializer;
    private final List<NativeSnapshotFormat.StateEntry> states;
    private final SnapshotStorage storage;
    private final LogCapture log;
    private final LogLedger.Confirmed logBase;

    NativeSnapshotTask(
            SnapshotTicket ticket,
            List<CapturedTable> tables,
            UploadLedger ledger,
            boolean full,
            KeyGroupRange range,
            String operatorId,
            int pageSize,
            int maxParallelism,
            SerializerSnapshot<?> keySerializer,
            List<NativeSnapshotFormat.StateEntry> states,
            SnapshotStorage storage,
            LogCapture log,
            LogLedger.Confirmed logBase) {
        this.ticket = ticket;
        this.tables = tables;
        this.ledger = ledger;
        this.full = full;
        this.range = range;
        this.operatorId = operatorId;
        this.pageSize = pageSize;
        this.maxParallelism = maxParallelism;
        this.keySerializer = keySerializer;
        this.states = states;
        this.storage = storage;
        this.log = log;
        this.logBase = logBase;
    }

    KeyedStateHandle call() {
        ticket.enter();
        boolean succeeded = false;
        final PageUploads uploads = new PageUploads();
        try {
            final KeyedStateHandle handle = write(uploads);
            succeeded = true;
            return handle;
        } finally {
            ticket.finish(succeeded, succeeded ? uploads : null);
        }
    }

    private KeyedStateHandle write(PageUploads uploads) {
        final List<StreamHandle> streams = new ArrayList<>();
        final Map<String, Integer> streamIndex = new HashMap<>();
        final ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
        final DataOutputStream payload = new DataOutputStream(payloadBytes);
        final List<long[]> written = new ArrayList<>(); // {pageId, offset, crc}
        SnapshotOutput output = null;
        final List<TablePlan> plans = plan();
        final long logFrom = full ? log.begin() : Math.max(logBase.marker(), log.begin());
        final boolean logUpload = logFrom < log.marker();
        final List<NativeSnapshotFormat.RangeEntry> ranges = new ArrayList<>();
        final List<LogLedger.Range> referenced = new ArrayList<>();
        try {
            if (uploadsAnyPage(plans) || logUpload) {
                output = storage.createOutput(
                        NativeSnapshotFormat.streamName(operatorId, range, ticket.checkpointId), range, true);
                streams.add(null); // NEW_STREAM, set once finished
            }
            NativeSnapshotFormat.writeHeader(payload, pageSize, maxParallelism, keySerializer, states);
            payload.writeInt(plans.size());
            final byte[] page = new byte[pageSize];
            final UnsafeBuffer pageBuffer = new UnsafeBuffer(page);
            final CRC32C crc = new CRC32C();
            for (TablePlan plan : plans) {
                writeTable(plan, output, written, streams, streamIndex, payload, pageBuffer, page, crc);
            }
            for (LogLedger.Range range : logBase.ranges()) {
                if (!full && range.to() > log.begin() && range.from() < logFrom) {
                    referenced.add(range);
                    ranges.add(new NativeSnapshotFormat.RangeEntry(
                            range.from(),
                            range.to(),
                            indexOf(range.stream(), streams, streamIndex),
                            range.offset(),
                            range.checksums()));
                }
            }
            final long logOffset = output == null ? 0 : output.position();
            final int[] logChecksums = logUpload ? writeLog(output, logFrom, pageBuffer, page, crc) : null;
            if (logUpload) {
                ranges.add(new NativeSnapshotFormat.RangeEntry(
                        logFrom, log.marker(), NEW_STREAM, logOffset, logChecksums));
            }
            payload.writeLong(log.begin());
            payload.writeLong(log.marker());
            payload.writeInt(ranges.size());
            for (NativeSnapshotFormat.RangeEntry range : ranges) {
                NativeSnapshotFormat.writeRange(payload, range);
            }
            payload.flush();
            if (output != null) {
                final StreamHandle created = output.closeAndGetHandle();
                output = null;
                streams.set(NEW_STREAM, created);
                for (long[] w : written) {
                    uploads.add(w[0], created, w[1], (int) w[2]);
                }
                if (logUpload) {
                    referenced.add(new LogLedger.Range(logFrom, log.marker(), created, logOffset, logChecksums));
                }
            }
            uploads.logRanges = referenced;
            uploads.logMarker = log.marker();
        } catch (IOException ex) {
            throw new StorageIOException("cannot write offheap snapshot: reason=" + ex, ex);
        } finally {
            if (output != null) {
                output.abort();
            }
        }
        return new KeyedStateHandle(NativeSnapshotFormat.FORMAT_NAME, range, streams, payloadBytes.toByteArray());
    }

    /** Upload or reference, page by page: the read set is uploaded, every other page has a confirmed upload. */
    private List<TablePlan> plan() {
        final List<TablePlan> plans = new ArrayList<>(tables.size());
        for (CapturedTable table : tables) {
            final byte[] kinds = table.kinds();
            final long[] pageIds = table.pageIds();
            final StreamHandle[] references = new StreamHandle[kinds.length];
            final long[] offsets = new long[kinds.length];
            final int[] checksums = new int[kinds.length];
            for (int logical = 0; logical < kinds.length; logical++) {
                final long pageId = pageIds[logical];
                if (!CapturedTable.stored(kinds[logical]) || full || ticket.snapshot.inReadSet(pageId)) {
                    continue;
                }
                final UploadLedger.PageRef ref = ledger.ref(pageId);
                if (ref == null) {
                    throw new IllegalStateException("page outside the read set has no confirmed upload: pageId="
                            + pageId + ", state=" + table.stateIndex() + ", keyGroup=" + table.keyGroup()
                            + ", checkpoint=" + ticket.checkpointId + ", inSnapshot=" + ticket.snapshot.contains(pageId)
                            + ", " + ticket.snapshot);
                }
                references[logical] = ref.stream();
                offsets[logical] = ref.offset();
                checksums[logical] = ref.checksum();
            }
            plans.add(new TablePlan(table, references, offsets, checksums));
        }
        return plans;
    }

    private static boolean uploadsAnyPage(List<TablePlan> plans) {
        for (TablePlan plan : plans) {
            final byte[] kinds = plan.table().kinds();
            for (int logical = 0; logical < kinds.length; logical++) {
                if (CapturedTable.stored(kinds[logical]) && plan.references()[logical] == null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Writes the table's new pages to {@code output} and its entry (every stored page, new or referenced). */
    private void writeTable(
            TablePlan plan,
            SnapshotOutput output,
            List<long[]> written,
            List<StreamHandle> streams,
            Map<String, Integer> streamIndex,
            DataOutputStream payload,
            UnsafeBuffer pageBuffer,
            byte[] page,
            CRC32C crc)
            throws IOException {
        final CapturedTable table = plan.table();
        final byte[] kinds = table.kinds();
        int stored = 0;
        for (byte kind : kinds) {
            stored += CapturedTable.stored(kind) ? 1 : 0;
        }
        payload.writeInt(table.stateIndex());
        payload.writeInt(table.keyGroup());
        payload.writeByte(table.layout());
        payload.writeInt(table.keyLength());
        payload.writeInt(table.namespaceLength());
        payload.writeInt(table.valueLength());
        payload.writeInt(kinds.length);
        payload.writeInt(stored);
        for (int logical = 0; logical < kinds.length; logical++) {
            if (!CapturedTable.stored(kinds[logical])) {
                continue;
            }
            payload.writeInt(logical);
            payload.writeByte(kinds[logical]);
            final StreamHandle reference = plan.references()[logical];
            if (reference != null) {
                payload.writeInt(indexOf(reference, streams, streamIndex));
                payload.writeLong(plan.offsets()[logical]);
                payload.writeInt(plan.checksums()[logical]);
            } else {
                final long pageId = table.pageIds()[logical];
                ticket.snapshot.readPage(pageId, pageBuffer, 0);
                crc.reset();
                crc.update(page, 0, pageSize);
                final long offset = output.position();
                output.write(page, 0, pageSize);
                written.add(new long[] {pageId, offset, (int) crc.getValue()});
                payload.writeInt(NEW_STREAM);
                payload.writeLong(offset);
                payload.writeInt((int) crc.getValue());
            }
        }
    }

    /**
     * Writes log bytes {@code [from, marker)} to {@code output}, read page by page through the page snapshot (bytes
     * below the marker never change again); returns one CRC32C per log page touched.
     */
    private int[] writeLog(SnapshotOutput output, long from, UnsafeBuffer pageBuffer, byte[] page, CRC32C crc)
            throws IOException {
        final int shift = log.pageShift();
        final int[] checksums = new int[(int) (((log.marker() - 1) >>> shift) - (from >>> shift) + 1)];
        long at = from;
        for (int chunk = 0; at < log.marker(); chunk++) {
            final int offset = (int) (at & (pageSize - 1));
            final int n = (int) Math.min(log.marker() - at, pageSize - offset);
            ticket.snapshot.readPage(log.pageIdOf(at), pageBuffer, 0);
            crc.reset();
            crc.update(page, offset, n);
            checksums[chunk] = (int) crc.getValue();
            output.write(page, offset, n);
            at += n;
        }
        return checksums;
    }

    private static int indexOf(StreamHandle stream, List<StreamHandle> streams, Map<String, Integer> index) {
        Integer known = index.get(stream.name());
        if (known == null) {
            known = streams.size();
            streams.add(stream);
            index.put(stream.name(), known);
        }
        return known;
    }
}

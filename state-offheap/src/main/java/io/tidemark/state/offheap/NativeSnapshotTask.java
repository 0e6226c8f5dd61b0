package io.tidemark.state.offheap;

import io.tidemark.StorageIOException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotOutput;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StateMetaInfo;
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
 * The asynchronous part of a native snapshot: per key group, writes the pages of the page snapshot's read set into one
 * new shared stream (page content as of the synchronous part, read through the page snapshot), references the
 * confirmed upload of every other page ({@link UploadLedger}), and lists every page of every table with its stream in
 * the payload. All of this is O(pages) and runs here, once, on one snapshot thread, never on the operator thread.
 */
final class NativeSnapshotTask {
    private final SnapshotTicket ticket;
    private final List<CapturedTable> tables;
    private final UploadLedger ledger;
    private final boolean full;
    private final KeyGroupRange range;
    private final String operatorId;
    private final int pageSize;
    private final int maxParallelism;
    private final SerializerSnapshot<?> keySerializer;
    private final List<StateMetaInfo> states;
    private final SnapshotStorage storage;

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
            List<StateMetaInfo> states,
            SnapshotStorage storage) {
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
        final byte[] page = new byte[pageSize];
        final UnsafeBuffer pageBuffer = new UnsafeBuffer(page);
        final CRC32C crc = new CRC32C();
        try {
            NativeSnapshotFormat.writeHeader(payload, pageSize, maxParallelism, keySerializer, states);
            payload.writeInt(tables.size());
            int next = 0;
            while (next < tables.size()) {
                final int keyGroup = tables.get(next).keyGroup();
                int end = next;
                while (end < tables.size() && tables.get(end).keyGroup() == keyGroup) {
                    end++;
                }
                writeKeyGroup(
                        plan(tables.subList(next, end)),
                        keyGroup,
                        uploads,
                        streams,
                        streamIndex,
                        payload,
                        pageBuffer,
                        page,
                        crc);
                next = end;
            }
            payload.flush();
        } catch (IOException ex) {
            throw new StorageIOException("cannot write offheap snapshot payload: reason=" + ex, ex);
        }
        return new KeyedStateHandle(NativeSnapshotFormat.FORMAT_NAME, range, streams, payloadBytes.toByteArray());
    }

    /** Upload or reference, page by page: the read set is uploaded, every other page has a confirmed upload. */
    private List<TablePlan> plan(List<CapturedTable> group) {
        final List<TablePlan> plans = new ArrayList<>(group.size());
        for (CapturedTable table : group) {
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

    private void writeKeyGroup(
            List<TablePlan> group,
            int keyGroup,
            PageUploads uploads,
            List<StreamHandle> streams,
            Map<String, Integer> streamIndex,
            DataOutputStream payload,
            UnsafeBuffer pageBuffer,
            byte[] page,
            CRC32C crc)
            throws IOException {
        final List<long[]> written = new ArrayList<>(); // {planIndex, logical, offset, crc}
        SnapshotOutput output = null;
        StreamHandle created = null;
        try {
            for (int p = 0; p < group.size(); p++) {
                final TablePlan plan = group.get(p);
                final byte[] kinds = plan.table().kinds();
                for (int logical = 0; logical < kinds.length; logical++) {
                    if (!CapturedTable.stored(kinds[logical]) || plan.references()[logical] != null) {
                        continue;
                    }
                    if (output == null) {
                        output = storage.createOutput(
                                NativeSnapshotFormat.streamName(operatorId, keyGroup, ticket.checkpointId),
                                NativeSnapshotFormat.single(keyGroup),
                                true);
                    }
                    ticket.snapshot.readPage(plan.table().pageIds()[logical], pageBuffer, 0);
                    crc.reset();
                    crc.update(page, 0, pageSize);
                    final long offset = output.position();
                    output.write(page, 0, pageSize);
                    written.add(new long[] {p, logical, offset, (int) crc.getValue()});
                }
            }
            if (output != null) {
                created = output.closeAndGetHandle();
                output = null;
            }
        } finally {
            if (output != null) {
                output.abort();
            }
        }
        int createdIndex = -1;
        if (created != null) {
            createdIndex = indexOf(created, streams, streamIndex);
            for (long[] w : written) {
                uploads.add(group.get((int) w[0]).table().pageIds()[(int) w[1]], created, w[2], (int) w[3]);
            }
        }
        int cursor = 0;
        for (int p = 0; p < group.size(); p++) {
            final TablePlan plan = group.get(p);
            final CapturedTable table = plan.table();
            final byte[] kinds = table.kinds();
            int stored = 0;
            for (byte kind : kinds) {
                stored += CapturedTable.stored(kind) ? 1 : 0;
            }
            payload.writeInt(table.stateIndex());
            payload.writeInt(keyGroup);
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
                    final long[] w = written.get(cursor++);
                    payload.writeInt(createdIndex);
                    payload.writeLong(w[2]);
                    payload.writeInt((int) w[3]);
                }
            }
        }
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

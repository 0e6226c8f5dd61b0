package io.tidemark.state.offheap;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.canonical.CanonicalSnapshotWriter;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.NativeSnapshotConverter;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.keygroup.KeyGroupRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link NativeSnapshotConverter} of the {@value NativeSnapshotFormat#FORMAT_NAME} format, found through
 * {@code ServiceLoader} by the tools outside this module ({@code tidemark inspect}, the offline reader, the savepoint
 * transform); the backend's own restore never uses it (it restores natively: {@link FusedRestore}, {@link LogRestore}).
 * Reads a handle for the wanted key groups and re-emits their entries, fused tables and log states, as a canonical
 * stream in the scratch storage. Only the pages of the wanted key groups are decoded (a page never holds two key
 * groups); pages are read and verified by {@link StoredPages}.
 *
 * <p><b>Threads and memory.</b> Stateless; thread-safe. Holds one table's pages and the handle's log (native memory)
 * while it converts.
 */
public final class OffHeapSnapshotConverter implements NativeSnapshotConverter {
    @Override
    public String format() {
        return NativeSnapshotFormat.FORMAT_NAME;
    }

    /**
     * @return the canonical handle of the wanted key groups, or null if the handle holds none of them or no state.
     * @throws CorruptCheckpointException if the payload, a page, a record or a stream does not verify
     */
    @Override
    public KeyedStateHandle toCanonical(
            KeyedStateHandle handle,
            SnapshotReader reader,
            KeyGroupRange wanted,
            SnapshotStorage scratch,
            String streamName,
            ClassLoader classLoader) {
        final KeyGroupRange overlap = handle.keyGroupRange().intersection(wanted);
        if (overlap.isEmpty()) {
            return null;
        }
        final NativeSnapshotFormat.Payload payload = NativeSnapshotFormat.read(handle, classLoader);
        final List<NativeSnapshotFormat.StateEntry> states = payload.states();
        if (states.isEmpty()) {
            return null;
        }
        boolean anyLog = false;
        for (NativeSnapshotFormat.StateEntry state : states) {
            anyLog |= state.logStateId() >= 0;
        }
        final CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                scratch.createOutput(streamName, overlap, false),
                overlap,
                payload.maxParallelism(),
                payload.keySerializer(),
                payload.metas());
        final LogCanonicalView log = anyLog
                ? new LogCanonicalView(
                        (from, to, target) -> LogStreams.copy(handle, reader, payload, target),
                        payload.logBegin(),
                        payload.logMarker(),
                        payload.pageSize(),
                        overlap.startKeyGroup(),
                        overlap.size())
                : null;
        try {
            final Map<Integer, List<NativeSnapshotFormat.TableEntry>> byGroup = new HashMap<>();
            for (NativeSnapshotFormat.TableEntry table : payload.tables()) {
                byGroup.computeIfAbsent(table.keyGroup(), g -> new ArrayList<>())
                        .add(table);
            }
            final TableDecoder decoder = new TableDecoder(payload.pageSize());
            try (StoredPages stored = new StoredPages(handle, reader, payload.pageSize())) {
                for (int keyGroup = overlap.startKeyGroup(); keyGroup <= overlap.endKeyGroup(); keyGroup++) {
                    writer.beginKeyGroup(keyGroup);
                    for (NativeSnapshotFormat.TableEntry table : byGroup.getOrDefault(keyGroup, List.of())) {
                        convertTable(handle, stored, payload.pageSize(), table, decoder, writer);
                    }
                    for (int i = 0; log != null && i < states.size(); i++) {
                        final NativeSnapshotFormat.StateEntry state = states.get(i);
                        if (state.logStateId() >= 0) {
                            final int index = i;
                            log.forEachEntryBytes(
                                    state.logStateId(),
                                    state.shape(),
                                    state.userKeyFixed(),
                                    state.valueFixed(),
                                    keyGroup,
                                    (k, kl, n, nl, v, vl) -> writer.writeEntry(index, k, kl, n, nl, v, vl));
                        }
                    }
                    writer.endKeyGroup();
                }
            }
            return writer.finish();
        } catch (IllegalStateException | IndexOutOfBoundsException ex) {
            writer.abort();
            throw new CorruptCheckpointException(
                    "offheap snapshot log does not decode",
                    firstStream(handle),
                    0,
                    "consistent records",
                    ex.getMessage());
        } catch (RuntimeException | Error ex) {
            writer.abort();
            throw ex;
        } finally {
            if (log != null) {
                log.close();
            }
        }
    }

    private static String firstStream(KeyedStateHandle handle) {
        return handle.streams().isEmpty() ? "<none>" : handle.streams().get(0).name();
    }

    private static void convertTable(
            KeyedStateHandle handle,
            StoredPages stored,
            int pageSize,
            NativeSnapshotFormat.TableEntry table,
            TableDecoder decoder,
            CanonicalSnapshotWriter writer) {
        final byte[][] pages = new byte[table.logicalCount()][];
        stored.forEach(table, (entry, file, bytes) -> pages[entry.logical()] = bytes.clone());
        final byte[] kinds = new byte[table.logicalCount()];
        for (NativeSnapshotFormat.PageEntry page : table.pages()) {
            kinds[page.logical()] = page.kind();
        }
        final int index = table.stateIndex();
        try {
            decoder.decode(
                    table.layout(),
                    table.keyLength(),
                    table.namespaceLength(),
                    table.valueLength(),
                    kinds,
                    (logical, target) -> target.putBytes(0, pages[logical], 0, pageSize),
                    (key, keyLength, namespace, namespaceLength, value, valueLength) ->
                            writer.writeEntry(index, key, keyLength, namespace, namespaceLength, value, valueLength));
        } catch (IllegalStateException | IndexOutOfBoundsException ex) {
            throw new CorruptCheckpointException(
                    "offheap snapshot table does not decode",
                    firstStream(handle),
                    0,
                    "consistent pages",
                    ex.getMessage());
        }
    }
}

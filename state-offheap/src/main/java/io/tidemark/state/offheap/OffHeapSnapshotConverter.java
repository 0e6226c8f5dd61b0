package io.tidemark.state.offheap;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.canonical.CanonicalSnapshotWriter;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.NativeSnapshotConverter;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.SnapshotStorage;
import io.tidemark.backend.snapshot.StateMetaInfo;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The {@link NativeSnapshotConverter} of the {@value NativeSnapshotFormat#FORMAT_NAME} format, used by this backend's
 * restore and, found through {@code ServiceLoader}, by the tools outside this module ({@code tidemark inspect}, the
 * offline reader, the savepoint transform). Reads an {@value NativeSnapshotFormat#FORMAT_NAME} handle for the key groups a backend owns and re-emits their entries
 * as a canonical stream (in memory), which the backend then restores through the common path: compatibility checks,
 * migration, and states kept raw until registered all come from there. Only the pages of the wanted key groups are
 * decoded (a page never holds two key groups); every page's CRC32C is verified. Each stream is opened (and so verified
 * as a whole) once and read forward: a task writes one stream per checkpoint, key group after key group, so the pages
 * of consecutive tables follow each other; a page behind the cursor reopens the stream. Stateless; thread-safe.
 */
public final class OffHeapSnapshotConverter implements NativeSnapshotConverter {
    @Override
    public String format() {
        return NativeSnapshotFormat.FORMAT_NAME;
    }

    /**
     * @return the canonical handle of the wanted key groups, or null if the handle holds none of them.
     * @throws CorruptCheckpointException if the payload, a page or a stream does not verify
     */
    @Override
    public KeyedStateHandle toCanonical(
            KeyedStateHandle handle,
            SnapshotReader reader,
            KeyGroupRange wanted,
            SnapshotStorage scratch,
            String streamName,
            ClassLoader classLoader) {
        return convert(handle, reader, wanted, scratch, streamName, classLoader, true);
    }

    /**
     * Converts the fused tables, and with {@code withLog} the log states too, of the wanted key groups. The backend's
     * own restore passes {@code withLog = false}: it restores the log natively and only fused tables go through the
     * canonical path; the header then lists the fused states only.
     *
     * @return the canonical handle, or null if the handle holds none of the wanted key groups or no state to convert
     */
    KeyedStateHandle convert(
            KeyedStateHandle handle,
            SnapshotReader reader,
            KeyGroupRange wanted,
            SnapshotStorage scratch,
            String streamName,
            ClassLoader classLoader,
            boolean withLog) {
        final KeyGroupRange overlap = handle.keyGroupRange().intersection(wanted);
        if (overlap.isEmpty()) {
            return null;
        }
        final NativeSnapshotFormat.Payload payload = NativeSnapshotFormat.read(handle, classLoader);
        final List<NativeSnapshotFormat.StateEntry> states = payload.states();
        final int[] canonicalIndex = new int[states.size()];
        final List<StateMetaInfo> metas = new ArrayList<>();
        boolean anyLog = false;
        for (int i = 0; i < states.size(); i++) {
            final boolean log = states.get(i).logStateId() >= 0;
            anyLog |= log;
            canonicalIndex[i] = withLog || !log ? metas.size() : -1;
            if (canonicalIndex[i] >= 0) {
                metas.add(states.get(i).meta());
            }
        }
        if (metas.isEmpty()) {
            return null;
        }
        final CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                scratch.createOutput(streamName, overlap, false),
                overlap,
                payload.maxParallelism(),
                payload.keySerializer(),
                metas);
        final LogCanonicalView log = withLog && anyLog
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
            try (StreamCursors cursors = new StreamCursors(handle, reader)) {
                for (int keyGroup = overlap.startKeyGroup(); keyGroup <= overlap.endKeyGroup(); keyGroup++) {
                    writer.beginKeyGroup(keyGroup);
                    for (NativeSnapshotFormat.TableEntry table : byGroup.getOrDefault(keyGroup, List.of())) {
                        restoreTable(
                                handle,
                                cursors,
                                payload.pageSize(),
                                table,
                                decoder,
                                writer,
                                canonicalIndex[table.stateIndex()]);
                    }
                    for (int i = 0; log != null && i < states.size(); i++) {
                        final NativeSnapshotFormat.StateEntry state = states.get(i);
                        if (state.logStateId() >= 0) {
                            final int index = canonicalIndex[i];
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
                    handle.streams().isEmpty()
                            ? "<none>"
                            : handle.streams().get(0).name(),
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

    /** One forward-reading stream per stream index of a handle, opened on first use. Closes them all. */
    private static final class StreamCursors implements AutoCloseable {
        private final KeyedStateHandle handle;
        private final SnapshotReader reader;
        private final InputStream[] streams;
        private final long[] positions;

        StreamCursors(KeyedStateHandle handle, SnapshotReader reader) {
            this.handle = handle;
            this.reader = reader;
            this.streams = new InputStream[handle.streams().size()];
            this.positions = new long[streams.length];
        }

        /** Reads {@code length} bytes at {@code offset} of stream {@code index}. */
        byte[] read(int index, long offset, int length) throws IOException {
            final StreamHandle stream = handle.streams().get(index);
            if (streams[index] == null || offset < positions[index]) {
                closeOne(index);
                streams[index] = reader.open(stream, offset);
                positions[index] = offset;
            }
            streams[index].skipNBytes(offset - positions[index]);
            final byte[] bytes = streams[index].readNBytes(length);
            positions[index] = offset + bytes.length;
            return bytes;
        }

        private void closeOne(int index) throws IOException {
            if (streams[index] != null) {
                final InputStream in = streams[index];
                streams[index] = null;
                in.close();
            }
        }

        @Override
        public void close() {
            for (int i = 0; i < streams.length; i++) {
                try {
                    closeOne(i);
                } catch (IOException ignored) {
                    // read-only streams; nothing was lost
                }
            }
        }
    }

    private static void restoreTable(
            KeyedStateHandle handle,
            StreamCursors cursors,
            int pageSize,
            NativeSnapshotFormat.TableEntry table,
            TableDecoder decoder,
            CanonicalSnapshotWriter writer,
            int canonicalIndex) {
        final byte[][] pages = fetchPages(handle, cursors, pageSize, table);
        final byte[] kinds = new byte[table.logicalCount()];
        for (NativeSnapshotFormat.PageEntry page : table.pages()) {
            kinds[page.logical()] = page.kind();
        }
        final String file =
                handle.streams().isEmpty() ? "<none>" : handle.streams().get(0).name();
        try {
            decoder.decode(
                    table.layout(),
                    table.keyLength(),
                    table.namespaceLength(),
                    table.valueLength(),
                    kinds,
                    (logical, target) -> target.putBytes(0, pages[logical], 0, pageSize),
                    (key, keyLength, namespace, namespaceLength, value, valueLength) -> writer.writeEntry(
                            canonicalIndex, key, keyLength, namespace, namespaceLength, value, valueLength));
        } catch (IllegalStateException | IndexOutOfBoundsException ex) {
            throw new CorruptCheckpointException(
                    "offheap snapshot table does not decode", file, 0, "consistent pages", ex.getMessage());
        }
    }

    /** Reads the table's pages in (stream, offset) order through the cursors, verifying each page's CRC32C. */
    private static byte[][] fetchPages(
            KeyedStateHandle handle, StreamCursors cursors, int pageSize, NativeSnapshotFormat.TableEntry table) {
        final byte[][] pages = new byte[table.logicalCount()][];
        final List<NativeSnapshotFormat.PageEntry> entries = new ArrayList<>(table.pages());
        entries.sort(Comparator.comparingInt(NativeSnapshotFormat.PageEntry::streamIndex)
                .thenComparingLong(NativeSnapshotFormat.PageEntry::offset));
        final CRC32C crc = new CRC32C();
        long previousEnd = -1;
        int previousStream = -1;
        for (NativeSnapshotFormat.PageEntry entry : entries) {
            final int streamIndex = entry.streamIndex();
            if (streamIndex < 0 || streamIndex >= handle.streams().size()) {
                throw new CorruptCheckpointException(
                        "offheap snapshot page names no stream",
                        "<payload>",
                        0,
                        "[0, " + handle.streams().size() + ")",
                        streamIndex);
            }
            final StreamHandle stream = handle.streams().get(streamIndex);
            boolean overlapsPrevious = streamIndex == previousStream && entry.offset() < previousEnd;
            if (entry.logical() < 0 || entry.logical() >= pages.length || entry.offset() < 0 || overlapsPrevious) {
                throw new CorruptCheckpointException(
                        "offheap snapshot page entry invalid",
                        stream.name(),
                        entry.offset(),
                        "logical page in range, offsets distinct",
                        entry);
            }
            final byte[] page;
            try {
                page = cursors.read(streamIndex, entry.offset(), pageSize);
            } catch (IOException ex) {
                throw new CorruptCheckpointException(
                        "offheap snapshot stream unreadable",
                        stream.name(),
                        entry.offset(),
                        "page bytes",
                        ex.toString());
            }
            if (page.length != pageSize) {
                throw new CorruptCheckpointException(
                        "offheap snapshot page truncated", stream.name(), entry.offset(), pageSize, page.length);
            }
            crc.reset();
            crc.update(page, 0, pageSize);
            if ((int) crc.getValue() != entry.checksum()) {
                throw new CorruptCheckpointException(
                        "offheap snapshot page checksum mismatch",
                        stream.name(),
                        entry.offset(),
                        entry.checksum(),
                        (int) crc.getValue());
            }
            pages[entry.logical()] = page;
            previousStream = streamIndex;
            previousEnd = entry.offset() + pageSize;
        }
        return pages;
    }
}

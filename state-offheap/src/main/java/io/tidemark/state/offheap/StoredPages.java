package io.tidemark.state.offheap;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StreamHandle;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the stored pages of the fused tables of one {@value NativeSnapshotFormat#FORMAT_NAME} handle, verified: each
 * page entry must name a stream of the handle and a logical index of its table, offsets must not overlap, and each
 * page's {@code pageSize} bytes must match its CRC32C. Each stream is opened (and so verified as a whole by the
 * storage) on first use and read forward: a task writes one stream per checkpoint, key group after key group, so the
 * pages of consecutive tables follow each other; a page behind the cursor reopens the stream.
 *
 * <p><b>Threads and memory.</b> One thread. Holds one page-sized {@code byte[]}, reused for every page: a visitor sees
 * a page's bytes only during its call.
 *
 * <p><b>Errors.</b> {@link CorruptCheckpointException} naming the stream and offset of the page that does not read or
 * verify.
 */
final class StoredPages implements AutoCloseable {
    /** Receives one verified page; {@code bytes} is valid during the call only. */
    interface PageVisitor {
        void page(NativeSnapshotFormat.PageEntry entry, String file, byte[] bytes);
    }

    private final KeyedStateHandle handle;
    private final SnapshotReader reader;
    private final int pageSize;
    private final InputStream[] streams;
    private final long[] positions;
    private final byte[] page;
    private final CRC32C crc = new CRC32C();

    StoredPages(KeyedStateHandle handle, SnapshotReader reader, int pageSize) {
        this.handle = handle;
        this.reader = reader;
        this.pageSize = pageSize;
        this.streams = new InputStream[handle.streams().size()];
        this.positions = new long[streams.length];
        this.page = new byte[pageSize];
    }

    /** Visits the table's stored pages in (stream, offset) order, each verified before the visitor sees it. */
    void forEach(NativeSnapshotFormat.TableEntry table, PageVisitor visitor) {
        final List<NativeSnapshotFormat.PageEntry> entries = new ArrayList<>(table.pages());
        entries.sort(Comparator.comparingInt(NativeSnapshotFormat.PageEntry::streamIndex)
                .thenComparingLong(NativeSnapshotFormat.PageEntry::offset));
        long previousEnd = -1;
        int previousStream = -1;
        for (NativeSnapshotFormat.PageEntry entry : entries) {
            final int streamIndex = entry.streamIndex();
            if (streamIndex < 0 || streamIndex >= streams.length) {
                throw new CorruptCheckpointException(
                        "offheap snapshot page names no stream",
                        "<payload>",
                        0,
                        "[0, " + streams.length + ")",
                        streamIndex);
            }
            final StreamHandle stream = handle.streams().get(streamIndex);
            final boolean overlapsPrevious = streamIndex == previousStream && entry.offset() < previousEnd;
            if (entry.logical() < 0
                    || entry.logical() >= table.logicalCount()
                    || entry.offset() < 0
                    || overlapsPrevious) {
                throw new CorruptCheckpointException(
                        "offheap snapshot page entry invalid",
                        stream.name(),
                        entry.offset(),
                        "logical page in range, offsets distinct",
                        entry);
            }
            read(streamIndex, stream, entry);
            visitor.page(entry, stream.name(), page);
            previousStream = streamIndex;
            previousEnd = entry.offset() + pageSize;
        }
    }

    private void read(int index, StreamHandle stream, NativeSnapshotFormat.PageEntry entry) {
        final long offset = entry.offset();
        final int read;
        try {
            if (streams[index] == null || offset < positions[index]) {
                closeOne(index);
                streams[index] = reader.open(stream, offset);
                positions[index] = offset;
            }
            streams[index].skipNBytes(offset - positions[index]);
            read = streams[index].readNBytes(page, 0, pageSize);
            positions[index] = offset + read;
        } catch (IOException ex) {
            throw new CorruptCheckpointException(
                    "offheap snapshot stream unreadable", stream.name(), offset, "page bytes", ex.toString());
        }
        if (read != pageSize) {
            throw new CorruptCheckpointException(
                    "offheap snapshot page truncated", stream.name(), offset, pageSize, read);
        }
        crc.reset();
        crc.update(page, 0, pageSize);
        if ((int) crc.getValue() != entry.checksum()) {
            throw new CorruptCheckpointException(
                    "offheap snapshot page checksum mismatch", stream.name(), offset, entry.checksum(), (int)
                            crc.getValue());
        }
    }

    private void closeOne(int index) throws IOException {
        if (streams[index] != null) {
            final InputStream in = streams[index];
            streams[index] = null;
            in.close();
        }
    }

    /** Closes the open streams; they are read-only, so a failing close loses nothing and is not reported. */
    @Override
    public void close() {
        for (int i = 0; i < streams.length; i++) {
            try {
                closeOne(i);
            } catch (IOException ignored) {
                // read-only stream
            }
        }
    }
}

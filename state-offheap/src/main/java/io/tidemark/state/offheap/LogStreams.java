package io.tidemark.state.offheap;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.backend.snapshot.StreamHandle;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

/**
 * Reads the log of an {@value NativeSnapshotFormat#FORMAT_NAME} handle from its streams: every range in order, chunk
 * by chunk (one chunk per log page), each chunk's CRC32C verified, the bytes from the payload's {@code logBegin} on
 * copied to native memory. Used by restore and by the offline conversion. Stateless.
 */
final class LogStreams {
    private LogStreams() {}

    /** Bytes of the log the payload names, {@code marker - begin} (0 for an empty log). */
    static long size(NativeSnapshotFormat.Payload payload) {
        return Math.max(0, payload.logMarker() - payload.logBegin());
    }

    /** Receives verified log bytes {@code [address, address + length)} from {@code chunk} at {@code offset}. */
    interface ChunkSink {
        void accept(long address, byte[] chunk, int offset, int length);
    }

    /**
     * Copies log bytes {@code [begin, marker)} to native memory at {@code target} ({@code marker - begin} bytes).
     *
     * @throws CorruptCheckpointException naming the stream and offset of a chunk that does not verify or is missing
     */
    static void copy(
            KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload, long target) {
        final long begin = payload.logBegin();
        read(
                handle,
                reader,
                payload,
                (address, chunk, offset, length) -> UnsafeApi.copyMemory(
                        chunk, BufferUtil.ARRAY_BASE_OFFSET + offset, null, target + (address - begin), length));
    }

    /**
     * Reads log bytes {@code [begin, marker)} chunk by chunk (never two log pages in one call), each chunk verified.
     *
     * @throws CorruptCheckpointException naming the stream and offset of a chunk that does not verify or is missing
     */
    static void read(
            KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload, ChunkSink sink) {
        final int pageSize = payload.pageSize();
        final long begin = payload.logBegin();
        final byte[] chunk = new byte[pageSize];
        final CRC32C crc = new CRC32C();
        for (NativeSnapshotFormat.RangeEntry range : payload.ranges()) {
            final StreamHandle stream = handle.streams().get(range.streamIndex());
            long offset = range.offset();
            try (InputStream in = reader.open(stream, range.offset())) {
                long at = range.from();
                for (int i = 0; at < range.to(); i++) {
                    final int n = (int) Math.min(range.to() - at, pageSize - (at & (pageSize - 1)));
                    if (i >= range.checksums().length) {
                        throw new CorruptCheckpointException(
                                "offheap log range has fewer checksums than pages",
                                stream.name(),
                                offset,
                                "checksum for chunk " + i,
                                range.checksums().length);
                    }
                    final int read = in.readNBytes(chunk, 0, n);
                    if (read != n) {
                        throw new CorruptCheckpointException(
                                "offheap log range truncated", stream.name(), offset, n, read);
                    }
                    crc.reset();
                    crc.update(chunk, 0, n);
                    if ((int) crc.getValue() != range.checksums()[i]) {
                        throw new CorruptCheckpointException(
                                "offheap log chunk checksum mismatch",
                                stream.name(),
                                offset,
                                range.checksums()[i],
                                (int) crc.getValue());
                    }
                    final long from = Math.max(at, begin);
                    if (at + n > from) {
                        sink.accept(from, chunk, (int) (from - at), (int) (at + n - from));
                    }
                    at += n;
                    offset += n;
                }
            } catch (IOException ex) {
                throw new CorruptCheckpointException(
                        "offheap log stream unreadable", stream.name(), offset, "log bytes", ex.toString());
            }
        }
    }
}

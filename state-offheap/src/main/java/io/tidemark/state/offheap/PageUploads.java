package io.tidemark.state.offheap;

import io.tidemark.backend.snapshot.StreamHandle;
import java.util.Arrays;

/** The pages one native snapshot wrote, and where: built by the snapshot thread, read by the owner after. */
final class PageUploads {
    long[] pageIds = new long[64];
    StreamHandle[] streams = new StreamHandle[64];
    long[] offsets = new long[64];
    int[] checksums = new int[64];
    int size;
    /** The log ranges the snapshot's payload names (referenced and written), and its log marker. */
    java.util.List<LogLedger.Range> logRanges = java.util.List.of();

    long logMarker;

    void add(long pageId, StreamHandle stream, long offset, int checksum) {
        if (size == pageIds.length) {
            pageIds = Arrays.copyOf(pageIds, size * 2);
            streams = Arrays.copyOf(streams, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
            checksums = Arrays.copyOf(checksums, size * 2);
        }
        pageIds[size] = pageId;
        streams[size] = stream;
        offsets[size] = offset;
        checksums[size] = checksum;
        size++;
    }
}

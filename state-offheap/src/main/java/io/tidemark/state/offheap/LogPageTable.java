package io.tidemark.state.offheap;

import java.util.Arrays;

/**
 * The log's page table: the store page id of each log page, in chunks of {@value #CHUNK} ids numbered by absolute
 * log page ({@code logPage >>> 10}), so that a snapshot captures it in O(chunks) (a copy of the chunk references, a
 * few hundred bytes for gigabytes of log) and the owner copies at most the one chunk that was still being filled
 * (8 KiB) when it next adds a page. Freed pages at the front drop whole chunks without renumbering anything.
 *
 * <pre>
 *  chunks[0] = ids of log pages [firstChunk * 1024, (firstChunk + 1) * 1024) ... chunks[n - 1] holds the tail page
 * </pre>
 *
 * <p>Owner thread; a {@link Snapshot} is immutable and read by a snapshot thread.
 */
final class LogPageTable {
    static final int CHUNK_SHIFT = 10;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int MASK = CHUNK - 1;

    /** A captured table: page ids of log pages {@code [firstPage, endPage)}. */
    record Snapshot(long[][] chunks, long firstChunk) {
        long pageId(long logPage) {
            return chunks[(int) ((logPage >>> CHUNK_SHIFT) - firstChunk)][(int) (logPage & MASK)];
        }
    }

    private long[][] chunks = new long[4][];
    private long firstChunk;
    /** Chunks with an index below this were captured: the first write into one copies it. */
    private int capturedChunks;

    long pageId(long logPage) {
        return chunks[(int) ((logPage >>> CHUNK_SHIFT) - firstChunk)][(int) (logPage & MASK)];
    }

    /** Sets the id of {@code logPage}, the page after the last one (or the first page of an empty table). */
    void set(long logPage, long pageId) {
        final int c = (int) ((logPage >>> CHUNK_SHIFT) - firstChunk);
        if (c >= chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(c + 1, chunks.length * 2));
        }
        if (chunks[c] == null) {
            chunks[c] = new long[CHUNK];
        } else if (c < capturedChunks) {
            chunks[c] = chunks[c].clone(); // the chunk a snapshot still reads: copy once, then write
            capturedChunks = c;
        }
        chunks[c][(int) (logPage & MASK)] = pageId;
    }

    /** For a snapshot: O(chunks), the chunk arrays shared until the owner writes into one. */
    Snapshot capture() {
        int used = chunks.length;
        while (used > 0 && chunks[used - 1] == null) {
            used--;
        }
        capturedChunks = used;
        return new Snapshot(Arrays.copyOf(chunks, used), firstChunk);
    }

    /** Drops the chunks wholly below {@code firstPage} (their pages were freed). */
    void dropBelow(long firstPage) {
        final int drop = (int) ((firstPage >>> CHUNK_SHIFT) - firstChunk);
        if (drop > 0) {
            chunks = Arrays.copyOfRange(chunks, drop, Math.max(chunks.length, drop + 4));
            firstChunk += drop;
            capturedChunks = Math.max(0, capturedChunks - drop);
        }
    }

    /** Empties the table for log pages starting at {@code firstPage}. */
    void reset(long firstPage) {
        chunks = new long[4][];
        firstChunk = firstPage >>> CHUNK_SHIFT;
        capturedChunks = 0;
    }
}

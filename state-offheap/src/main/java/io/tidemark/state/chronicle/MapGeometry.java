package io.tidemark.state.chronicle;

/**
 * The low-level layout of one state's Chronicle Map, computed from {@link ChronicleBackendConfig}. Chronicle lets the
 * size of a segment tier be set only when segments, entries per segment and chunk size are set too, so all four are
 * computed here: a tier always has room for one entry of {@code maxEntryBytes}, which is what lets a single large value
 * (a 4 MiB blob, a long list) be stored in a map planned for small ones.
 *
 * @param segments a power of two; one writer thread needs no more than a few
 * @param entriesPerSegment planned entries of one segment's first tier
 * @param chunkSize bytes of one allocation unit
 * @param chunksPerTier chunks of one segment tier
 * @param maxChunksPerEntry chunks the largest allowed entry takes
 */
record MapGeometry(int segments, long entriesPerSegment, int chunkSize, long chunksPerTier, int maxChunksPerEntry) {
    /** Planned entries per segment before another segment is added. */
    private static final long ENTRIES_PER_SEGMENT_TARGET = 32_768;

    private static final int MAX_SEGMENTS = 1_024;

    /** Bytes Chronicle adds to an entry (size prefixes, alignment), rounded up. */
    private static final int ENTRY_OVERHEAD = 16;

    static MapGeometry of(ChronicleBackendConfig config, int averageValueBytes) {
        int averageEntry = config.averageKeyBytes() + averageValueBytes + ENTRY_OVERHEAD;
        int chunkSize = Math.max(8, Math.min(256, Integer.highestOneBit(Math.max(1, averageEntry / 3))));
        long wanted = Math.max(1, config.expectedEntries() / ENTRIES_PER_SEGMENT_TARGET);
        int segments = (int) Math.min(MAX_SEGMENTS, Long.highestOneBit(wanted));
        long entriesPerSegment = (config.expectedEntries() + segments - 1) / segments;
        long chunksPerEntry = (averageEntry + chunkSize - 1) / chunkSize;
        int maxChunksPerEntry = (int) (((long) config.maxEntryBytes() + ENTRY_OVERHEAD + chunkSize - 1) / chunkSize);
        long chunksPerTier = Math.max(entriesPerSegment * chunksPerEntry * 5 / 4, maxChunksPerEntry);
        return new MapGeometry(segments, entriesPerSegment, chunkSize, chunksPerTier, maxChunksPerEntry);
    }
}

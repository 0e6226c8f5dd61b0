package io.tidemark.backend;

/**
 * The memory a keyed backend's state takes now, as {@link KeyedStateBackend#memoryUsage()} reports it: bytes held in
 * memory ({@code residentBytes}) and bytes of live state that wait in the backend's working files only
 * ({@code spilledBytes}). A cold-path value for metrics; both are zero for a backend that does not measure itself.
 *
 * @param residentBytes bytes of state in memory (for the {@code offheap} backend: page frames holding pages, plus its
 *     log index), {@code >= 0}
 * @param spilledBytes bytes of live state whose only copy is in the backend's working files (for the {@code offheap}
 *     backend: pages evicted to their segment files and not read back), {@code >= 0}
 */
public record StateMemory(long residentBytes, long spilledBytes) {
    /** What a backend that does not measure its memory reports. */
    public static final StateMemory UNKNOWN = new StateMemory(0, 0);

    /**
     * @throws IllegalArgumentException if a figure is negative
     */
    public StateMemory {
        if (residentBytes < 0 || spilledBytes < 0) {
            throw new IllegalArgumentException("state memory must not be negative: residentBytes=" + residentBytes
                    + ", spilledBytes=" + spilledBytes);
        }
    }
}

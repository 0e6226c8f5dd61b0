package io.tidemark.pipeline.shm;

import io.tidemark.StorageIOException;
import java.io.IOException;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The persisted Chronicle Map of one published state: {@code DIR/<state>.cmap}, key = the key's string form (as in
 * {@code GET /state/{name}/{key}}), value = the value's JSON (UTF-8), the same document the HTTP endpoint answers.
 * Writer and readers must build the map with the same geometry, so it lives here only.
 */
final class ShmStateFile {
    /** Entries a file is sized for; Chronicle Map grows up to {@link #MAX_BLOAT_FACTOR} times this. */
    static final long ENTRIES = 65_536;

    static final double MAX_BLOAT_FACTOR = 4.0;
    static final String SUFFIX = ".cmap";

    private ShmStateFile() {}

    static Path fileOf(Path dir, String stateName) {
        return dir.resolve(stateName + SUFFIX);
    }

    /** Creates the file or maps an existing one (writer and readers alike). */
    static ChronicleMap<String, byte[]> open(Path dir, String stateName) {
        Path file = fileOf(dir, stateName);
        try {
            return ChronicleMapBuilder.of(String.class, byte[].class)
                    .name("tidemark-shm-" + stateName)
                    .entries(ENTRIES)
                    .averageKeySize(16)
                    .averageValueSize(128)
                    .maxBloatFactor(MAX_BLOAT_FACTOR)
                    .putReturnsNull(true)
                    .removeReturnsNull(true)
                    .skipCloseOnExitHook(true)
                    .createPersistedTo(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new StorageIOException("cannot open shared-memory state file: file=" + file + ": " + e, e);
        }
    }
}

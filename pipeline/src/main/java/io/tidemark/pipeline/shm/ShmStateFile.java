package io.tidemark.pipeline.shm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.ConfigurationException;
import io.tidemark.StorageIOException;
import io.tidemark.pipeline.queryable.QueryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The persisted Chronicle Map of one published state: {@code DIR/<state>.cmap}, key = the key's string form (as in
 * {@code GET /state/{name}/{key}}), value = the value's JSON (UTF-8), the same document the HTTP endpoint answers.
 * Writer and readers must build the map with the same geometry, so it lives here only. The writer creates the map
 * first and then the sidecar {@code DIR/<state>.meta.json} (format, version), so a reader that finds the sidecar finds
 * an initialised map.
 */
final class ShmStateFile {
    /** Entries a file is sized for; Chronicle Map grows up to {@link #MAX_BLOAT_FACTOR} times this. */
    static final long ENTRIES = 65_536;

    static final double MAX_BLOAT_FACTOR = 4.0;
    static final String SUFFIX = ".cmap";

    /** The sidecar {@code DIR/<state>.meta.json} names the format; readers refuse a version they do not know. */
    static final String FORMAT = "tidemark-shm-json";

    static final int VERSION = 1;

    private ShmStateFile() {}

    static Path fileOf(Path dir, String stateName) {
        return dir.resolve(stateName + SUFFIX);
    }

    static Path metaOf(Path dir, String stateName) {
        return dir.resolve(stateName + ".meta.json");
    }

    /** Writer: records format and version beside the map (temp file, then atomic rename). */
    static void writeMeta(Path dir, String stateName, long intervalMillis) {
        Path meta = metaOf(dir, stateName);
        Path tmp = dir.resolve(stateName + ".meta.json.tmp");
        try {
            ObjectNode node = QueryJson.MAPPER.createObjectNode();
            node.put("format", FORMAT);
            node.put("version", VERSION);
            node.put("state", stateName);
            node.put("key", "the key's string form, as in GET /state/{name}/{key}");
            node.put("value", "the value's JSON, UTF-8, as GET /state answers it");
            node.put("publish_interval_ms", intervalMillis);
            Files.write(tmp, QueryJson.MAPPER.writeValueAsBytes(node));
            Files.move(tmp, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageIOException("cannot write shared-memory metadata: file=" + meta + ": " + e, e);
        }
    }

    /**
     * Reader: checks the sidecar before mapping the file.
     *
     * @throws ConfigurationException naming the file when it is missing, unreadable or of another format or version
     */
    static void checkMeta(Path dir, String stateName) {
        Path meta = metaOf(dir, stateName);
        JsonNode node;
        try {
            node = QueryJson.MAPPER.readTree(Files.readAllBytes(meta));
        } catch (IOException e) {
            throw new ConfigurationException("shared-memory state metadata unreadable: file=" + meta + ": " + e, e);
        }
        if (!FORMAT.equals(node.path("format").asText()) || node.path("version").asInt() != VERSION) {
            throw new ConfigurationException("shared-memory state of another format: file=" + meta + ", format="
                    + node.path("format").asText() + ", version="
                    + node.path("version").asInt() + ", expected="
                    + FORMAT + " v" + VERSION);
        }
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

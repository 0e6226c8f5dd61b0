package io.tidemark.pipeline.shm;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.pipeline.queryable.QueryJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Reads the shared-memory view a job publishes with {@code --publish-shm DIR}, from any JVM on the same host: one
 * persisted Chronicle Map per state, keyed by the key's string form, holding the value's JSON. Reads never block the
 * job and see each value whole (Chronicle Map's per-segment locking); a value is at most about the publish interval
 * behind the job's live state and, like live HTTP reads, not necessarily checkpointed. The reader maps the file
 * read-write (Chronicle Map has no read-only mode) but only ever reads. Thread-safe.
 *
 * <pre>{@code
 * try (TidemarkStateReader reader = TidemarkStateReader.open(Path.of("/dev/shm/tidemark"))) {
 *     String totals = reader.getJson("totals", "AAPL"); // {"count":..,"volume":..,"notional_ticks":..} or null
 * }
 * }</pre>
 */
public final class TidemarkStateReader implements AutoCloseable {
    private final Path dir;
    private final Map<String, ChronicleMap<String, byte[]>> maps = new ConcurrentHashMap<>();

    private TidemarkStateReader(Path dir) {
        this.dir = dir;
    }

    public static TidemarkStateReader open(Path dir) {
        return new TidemarkStateReader(dir);
    }

    /** True when the job has published state {@code stateName} (its map and metadata exist). */
    public boolean hasState(String stateName) {
        return Files.exists(ShmStateFile.metaOf(dir, stateName));
    }

    /**
     * The value's JSON bytes, or {@code null} when the key has none or the state has no file yet. Allocates the
     * returned array.
     *
     * @throws io.tidemark.ConfigurationException when the state's files are of another format or version
     */
    public byte[] getBytes(String stateName, String key) {
        ChronicleMap<String, byte[]> map = map(stateName);
        return map == null ? null : map.get(key);
    }

    /** The value's JSON text, or {@code null}. */
    public String getJson(String stateName, String key) {
        byte[] bytes = getBytes(stateName, key);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The value parsed, or {@code null}. */
    public JsonNode get(String stateName, String key) throws IOException {
        byte[] bytes = getBytes(stateName, key);
        return bytes == null ? null : QueryJson.MAPPER.readTree(bytes);
    }

    private ChronicleMap<String, byte[]> map(String stateName) {
        ChronicleMap<String, byte[]> map = maps.get(stateName);
        if (map == null && hasState(stateName)) {
            map = maps.computeIfAbsent(stateName, n -> {
                ShmStateFile.checkMeta(dir, n);
                return ShmStateFile.open(dir, n);
            });
        }
        return map;
    }

    @Override
    public void close() {
        for (ChronicleMap<String, byte[]> map : maps.values()) {
            map.close();
        }
        maps.clear();
    }
}

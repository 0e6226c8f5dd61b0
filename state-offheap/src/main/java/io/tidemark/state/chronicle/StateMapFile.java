package io.tidemark.state.chronicle;

import io.tidemark.StateSizeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The persisted Chronicle Map of one state of one backend instance: serialized (key group, key, namespace) to the
 * serialized value, both as {@code byte[]} through Chronicle's built-in byte-array support. Every Chronicle failure
 * leaves here as a typed Tidemark error naming the state and the file. Operator thread only; allocates the returned
 * arrays.
 */
final class StateMapFile implements AutoCloseable {
    private final String stateName;
    private final Path file;
    private final ChronicleMap<byte[], byte[]> map;
    private final int maxEntryBytes;

    private StateMapFile(String stateName, Path file, ChronicleMap<byte[], byte[]> map, int maxEntryBytes) {
        this.stateName = stateName;
        this.file = file;
        this.map = map;
        this.maxEntryBytes = maxEntryBytes;
    }

    /**
     * Creates the map file, replacing any file at {@code file}.
     *
     * @param averageValueBytes expected value size of this state (8 for primitive states)
     */
    static StateMapFile create(String stateName, Path file, ChronicleBackendConfig config, int averageValueBytes) {
        MapGeometry geometry = MapGeometry.of(config, averageValueBytes);
        try {
            Files.deleteIfExists(file);
            ChronicleMap<byte[], byte[]> map = ChronicleMapBuilder.of(byte[].class, byte[].class)
                    .name(stateName)
                    .averageKeySize(config.averageKeyBytes())
                    .averageValueSize(averageValueBytes)
                    .actualSegments(geometry.segments())
                    .entriesPerSegment(geometry.entriesPerSegment())
                    .actualChunkSize(geometry.chunkSize())
                    .actualChunksPerSegmentTier(geometry.chunksPerTier())
                    .maxChunksPerEntry(geometry.maxChunksPerEntry())
                    .maxBloatFactor(config.maxBloatFactor())
                    .putReturnsNull(true)
                    .removeReturnsNull(true)
                    .sparseFile(true)
                    .skipCloseOnExitHook(true)
                    .createPersistedTo(file.toFile());
            return new StateMapFile(stateName, file, map, config.maxEntryBytes());
        } catch (IOException | RuntimeException | InternalError e) {
            throw ChronicleFailures.translate(e, "create", stateName, file, 0);
        }
    }

    /** The value under {@code key}, or {@code null}. */
    byte[] get(byte[] key) {
        try {
            return map.get(key);
        } catch (RuntimeException | InternalError e) {
            throw ChronicleFailures.translate(e, "get", stateName, file, sizeOrMinusOne());
        }
    }

    /**
     * Stores {@code value} under {@code key}.
     *
     * @throws StateSizeException before any change if the entry is larger than {@code maxEntryBytes}, or if the map is
     *     full (Chronicle leaves the map as it was)
     */
    void put(byte[] key, byte[] value) {
        long size = (long) key.length + value.length;
        if (size > maxEntryBytes) {
            throw new StateSizeException("chronicle map entry too large: state=" + stateName + ", bytes=" + size
                    + ", limit=" + maxEntryBytes + " (maxEntryBytes), file=" + file);
        }
        try {
            map.put(key, value);
        } catch (RuntimeException | InternalError e) {
            throw ChronicleFailures.translate(e, "put", stateName, file, sizeOrMinusOne());
        }
    }

    void remove(byte[] key) {
        try {
            map.remove(key);
        } catch (RuntimeException | InternalError e) {
            throw ChronicleFailures.translate(e, "remove", stateName, file, sizeOrMinusOne());
        }
    }

    long size() {
        return map.longSize();
    }

    /** Copies every entry into {@code copy}; the caller guarantees no concurrent writer. */
    void copyTo(SnapshotCopy copy, int stateIndex) {
        try {
            map.forEachEntry(entry -> copy.add(stateIndex, entry.key(), entry.value()));
        } catch (RuntimeException | InternalError e) {
            throw ChronicleFailures.translate(e, "snapshot copy", stateName, file, sizeOrMinusOne());
        }
    }

    /** Passes every map key ({@link StateKeyLayout}) to {@code sink} as a new array; no concurrent writer. */
    void forEachMapKey(Consumer<byte[]> sink) {
        try {
            map.forEachEntry(entry -> sink.accept(entry.key().get()));
        } catch (RuntimeException | InternalError e) {
            throw ChronicleFailures.translate(e, "key walk", stateName, file, sizeOrMinusOne());
        }
    }

    private long sizeOrMinusOne() {
        try {
            return map.longSize();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Closes the map and deletes its file. Idempotent. */
    @Override
    public void close() {
        try {
            if (!map.isClosed()) {
                map.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            throw ChronicleFailures.translate(e, "close", stateName, file, -1);
        }
    }
}

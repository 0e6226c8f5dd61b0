package io.tidemark.jmh.snapshot;

import io.tidemark.ConfigurationException;
import io.tidemark.jmh.CommandLine;
import java.util.Map;
import java.util.Set;

/**
 * Command line of {@link SnapshotPause}: {@code name=value} pairs, every one optional.
 *
 * @param backend {@code tidemarkOffheap} (default) or {@code flinkHeap}
 * @param keyCount keys loaded before the first snapshot (default 1,000,000)
 * @param valueSize 8 (a {@code LongValueState}) or more (a {@code ValueState<byte[]>} of that length); default 8
 * @param state {@code value} (default): as {@code valueSize} says; {@code bytes}: a {@code ValueState<byte[]>}
 *     ({@code BytesSerializer}, no fixed length) whose values have lengths drawn uniformly from
 *     {@code [valueSize / 2, valueSize * 3 / 2]}, a new length on every update; {@code map}: a
 *     {@code MapState<Long, Long>} of {@code mapSize} entries per key, an update puts (overwrites) one of its user keys
 *     chosen at random ({@code valueSize} is ignored). Tidemark only for {@code bytes} and {@code map}
 * @param mapSize user keys per key with {@code state=map} (default 10)
 * @param updateFraction share of the keys updated between two snapshots, chosen uniformly at random (default 0.001)
 * @param samples measured snapshots (default 1,000)
 * @param warmup snapshots taken and dropped before measuring (default 100)
 * @param kind {@code incremental} (default) or {@code full}
 * @param overlap {@code forced} (default): the previous snapshot's asynchronous part is handed to the snapshot thread
 *     after the updates, just before the next synchronous part, so it is running when that part starts (unless it
 *     takes less than the hand-over); {@code natural}: it is handed over as soon as its synchronous part returns and
 *     runs while the owner thread updates keys, so it may be finished when the next synchronous part starts;
 *     {@code none}: finished and confirmed before the next round (no overlap: the reference point)
 * @param residentBudgetMiB the off-heap backend's resident budget (default 4096: all of a 10M × 100 B state)
 * @param results file the result line is appended to (default {@code snapshot-pause.tsv})
 */
record PauseOptions(
        String backend,
        int keyCount,
        int valueSize,
        String state,
        int mapSize,
        double updateFraction,
        int samples,
        int warmup,
        String kind,
        String overlap,
        long residentBudgetMiB,
        String results) {
    private static final Set<String> NAMES = Set.of(
            "backend",
            "keyCount",
            "valueSize",
            "state",
            "mapSize",
            "updateFraction",
            "samples",
            "warmup",
            "kind",
            "overlap",
            "residentBudgetMiB",
            "results");

    static PauseOptions parse(String[] args) {
        Map<String, String> given = CommandLine.options(args, NAMES);
        PauseOptions options = new PauseOptions(
                given.getOrDefault("backend", "tidemarkOffheap"),
                Integer.parseInt(given.getOrDefault("keyCount", "1000000")),
                Integer.parseInt(given.getOrDefault("valueSize", "8")),
                given.getOrDefault("state", "value"),
                Integer.parseInt(given.getOrDefault("mapSize", "10")),
                Double.parseDouble(given.getOrDefault("updateFraction", "0.001")),
                Integer.parseInt(given.getOrDefault("samples", "1000")),
                Integer.parseInt(given.getOrDefault("warmup", "100")),
                given.getOrDefault("kind", "incremental"),
                given.getOrDefault("overlap", "forced"),
                Long.parseLong(given.getOrDefault("residentBudgetMiB", "4096")),
                given.getOrDefault("results", "snapshot-pause.tsv"));
        return options.check();
    }

    int updatesPerSnapshot() {
        return (int) Math.max(1, Math.round(keyCount * updateFraction));
    }

    private PauseOptions check() {
        if (keyCount <= 0 || valueSize < 8 || samples <= 0 || warmup < 0) {
            throw new ConfigurationException("out of range: keyCount=" + keyCount + " (> 0), valueSize=" + valueSize
                    + " (>= 8), samples=" + samples + " (> 0), warmup=" + warmup + " (>= 0)");
        }
        if (!Set.of("value", "bytes", "map").contains(state)) {
            throw new ConfigurationException("unknown state: state=" + state + ", allowed=[value, bytes, map]");
        }
        if (mapSize <= 0) {
            throw new ConfigurationException("mapSize out of range: mapSize=" + mapSize + ", allowed=[1, ...]");
        }
        if (!(updateFraction > 0 && updateFraction <= 1)) {
            throw new ConfigurationException(
                    "updateFraction out of range: updateFraction=" + updateFraction + ", allowed=(0, 1]");
        }
        if (!kind.equals("incremental") && !kind.equals("full")) {
            throw new ConfigurationException("unknown snapshot kind: kind=" + kind + ", allowed=[incremental, full]");
        }
        if (!Set.of("forced", "natural", "none").contains(overlap)) {
            throw new ConfigurationException(
                    "unknown overlap: overlap=" + overlap + ", allowed=[forced, natural, none]");
        }
        return this;
    }
}

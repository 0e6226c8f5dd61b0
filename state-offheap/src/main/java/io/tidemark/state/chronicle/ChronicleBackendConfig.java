package io.tidemark.state.chronicle;

import io.tidemark.ConfigurationException;

/**
 * Sizing of the Chronicle Maps of the {@code chronicle} backend, the same for every state. Validated once, when
 * created; an invalid setting raises {@link ConfigurationException} naming the setting, its value and the allowed
 * range. Immutable and thread-safe.
 *
 * @param expectedEntries entries (key, namespace pairs) one state of one backend instance is planned for; Chronicle's
 *     hash lookups have slack, so a map usually takes well over {@code expectedEntries * (1 + maxBloatFactor)} before it
 *     reports itself full (see docs/chronicle-backend.md for measurements)
 * @param averageKeyBytes expected serialized size of key group, key and namespace together
 * @param averageValueBytes expected serialized size of one value (a whole list or map for list and map states)
 * @param maxBloatFactor how many times over its planned size Chronicle may grow a map by adding segment tiers
 * @param maxEntryBytes the largest serialized key plus value one entry may take; larger writes are refused with
 *     {@link io.tidemark.StateSizeException} before anything changes. Every segment tier is sized to hold one such
 *     entry, so this also sets the least size of a map file (files are sparse)
 */
public record ChronicleBackendConfig(
        long expectedEntries, int averageKeyBytes, int averageValueBytes, double maxBloatFactor, int maxEntryBytes) {
    public static final long DEFAULT_EXPECTED_ENTRIES = 100_000;
    public static final int DEFAULT_AVERAGE_KEY_BYTES = 32;
    public static final int DEFAULT_AVERAGE_VALUE_BYTES = 64;
    public static final double DEFAULT_MAX_BLOAT_FACTOR = 8.0;
    public static final int DEFAULT_MAX_ENTRY_BYTES = 8 << 20;

    static final long MAX_EXPECTED_ENTRIES = 1L << 34;
    static final int MAX_AVERAGE_BYTES = 1 << 20;
    static final double MAX_BLOAT_FACTOR = 1_000.0;
    static final int MAX_ENTRY_BYTES = 1 << 28;

    public ChronicleBackendConfig {
        check("expectedEntries", expectedEntries, 1, MAX_EXPECTED_ENTRIES);
        check("averageKeyBytes", averageKeyBytes, 1, MAX_AVERAGE_BYTES);
        check("averageValueBytes", averageValueBytes, 1, MAX_AVERAGE_BYTES);
        if (!(maxBloatFactor >= 1.0 && maxBloatFactor <= MAX_BLOAT_FACTOR)) {
            throw new ConfigurationException("chronicle backend setting out of range: maxBloatFactor=" + maxBloatFactor
                    + ", allowed=[1.0.." + MAX_BLOAT_FACTOR + "]");
        }
        long leastEntry = (long) averageKeyBytes + averageValueBytes;
        check("maxEntryBytes", maxEntryBytes, leastEntry, MAX_ENTRY_BYTES);
    }

    /** The defaults: 100,000 entries per state of 32-byte keys and 64-byte values, bloat 8, entries up to 8 MiB. */
    public static ChronicleBackendConfig defaults() {
        return new ChronicleBackendConfig(
                DEFAULT_EXPECTED_ENTRIES,
                DEFAULT_AVERAGE_KEY_BYTES,
                DEFAULT_AVERAGE_VALUE_BYTES,
                DEFAULT_MAX_BLOAT_FACTOR,
                DEFAULT_MAX_ENTRY_BYTES);
    }

    public ChronicleBackendConfig withExpectedEntries(long entries) {
        return new ChronicleBackendConfig(entries, averageKeyBytes, averageValueBytes, maxBloatFactor, maxEntryBytes);
    }

    public ChronicleBackendConfig withAverageSizes(int keyBytes, int valueBytes) {
        return new ChronicleBackendConfig(expectedEntries, keyBytes, valueBytes, maxBloatFactor, maxEntryBytes);
    }

    public ChronicleBackendConfig withMaxBloatFactor(double factor) {
        return new ChronicleBackendConfig(expectedEntries, averageKeyBytes, averageValueBytes, factor, maxEntryBytes);
    }

    public ChronicleBackendConfig withMaxEntryBytes(int bytes) {
        return new ChronicleBackendConfig(expectedEntries, averageKeyBytes, averageValueBytes, maxBloatFactor, bytes);
    }

    private static void check(String setting, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigurationException("chronicle backend setting out of range: " + setting + "=" + value
                    + ", allowed=[" + min + ".." + max + "]");
        }
    }
}

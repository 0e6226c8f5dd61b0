package io.tidemark.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * Snapshot of a {@link MapSerializer}: the key and the value serializer's snapshots. The answer combines both: as is
 * when both are, incompatible when either is (the reason says {@code map key} or {@code map value}), after migration
 * otherwise.
 *
 * <p>Written form, version 1: the key snapshot, then the value snapshot, each as {@link SerializerSnapshots#write}
 * writes it. Cold path.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class MapSnapshot<K, V> implements SerializerSnapshot<Map<K, V>> {
    private static final int VERSION = 1;

    private SerializerSnapshot<K> keySnapshot;
    private SerializerSnapshot<V> valueSnapshot;

    /** For {@link SerializerSnapshots#read}; the content is set by {@link #readSnapshot}. */
    public MapSnapshot() {}

    MapSnapshot(SerializerSnapshot<K> keySnapshot, SerializerSnapshot<V> valueSnapshot) {
        this.keySnapshot = keySnapshot;
        this.valueSnapshot = valueSnapshot;
    }

    @Override
    public int currentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        SerializerSnapshots.write(keySnapshot, out);
        SerializerSnapshots.write(valueSnapshot, out);
    }

    @Override
    public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
        keySnapshot = SerializerSnapshots.read(in, classLoader);
        valueSnapshot = SerializerSnapshots.read(in, classLoader);
    }

    @Override
    public StateSerializer<Map<K, V>> restoreSerializer() {
        return new MapSerializer<>(keySnapshot.restoreSerializer(), valueSnapshot.restoreSerializer());
    }

    @Override
    public SchemaCompatibility resolveCompatibility(StateSerializer<Map<K, V>> newSerializer) {
        if (!(newSerializer instanceof MapSerializer<K, V> next)) {
            return SchemaCompatibility.incompatible("changed type: " + describe() + " -> "
                    + newSerializer.snapshot().describe());
        }
        SchemaCompatibility key =
                NestedSnapshots.nested("map key", keySnapshot.resolveCompatibility(next.keySerializer()));
        SchemaCompatibility value =
                NestedSnapshots.nested("map value", valueSnapshot.resolveCompatibility(next.valueSerializer()));
        if (key.isIncompatible() || (key.isAfterMigration() && !value.isIncompatible())) {
            return key.isAfterMigration() && value.isAfterMigration()
                    ? SchemaCompatibility.compatibleAfterMigration(
                            key.reason() + NestedSnapshots.SEPARATOR + value.reason())
                    : key;
        }
        return value;
    }

    @Override
    public String describe() {
        return "map<" + keySnapshot.describe() + ", " + valueSnapshot.describe() + ">";
    }

    @Override
    public String toString() {
        return "MapSnapshot[" + describe() + "]";
    }
}

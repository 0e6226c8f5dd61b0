package io.tidemark.backend.internal;

import io.tidemark.IncompatibleStateException;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.serialization.StateSerializer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Rewrites the keys of restored entries from the format of the snapshot's key serializer into the format of the key
 * serializer registered now, while the entries are read. Every restored entry passes through it, registered again or
 * not, so that no entry is ever written back with old-format keys under the new key serializer.
 *
 * <p>Refuses, with {@link IncompatibleStateException}, a migrated key that moved to a key group this instance does not
 * own (the instance owning it never reads the old key group) and two stored keys of one state that the migration maps
 * to one key (their state would merge), naming both stored keys.
 *
 * <p>Threads: the restoring thread only. Allocates per entry; restore is a cold path.
 *
 * @param <K> the partition key type
 */
final class KeyMigration<K> {
    private static final int MAX_HEX_BYTES = 64;

    private final StateSerializer<K> keySerializer;
    private final int maxParallelism;
    private final KeyGroupRange range;
    private final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[0]);
    private final ExpandableArrayBuffer writeBuffer = new ExpandableArrayBuffer(64);
    private final Map<String, Map<ByteBuffer, RestoredKeyedState.Entry>> firstStoredKey = new HashMap<>();

    KeyMigration(StateSerializer<K> keySerializer, int maxParallelism, KeyGroupRange range) {
        this.keySerializer = keySerializer.duplicate();
        this.maxParallelism = maxParallelism;
        this.range = range;
    }

    /**
     * The entry with its key in the current format and filed under the migrated key's key group.
     *
     * @param oldKeyReader reads keys in the format of the snapshot the entry comes from
     */
    RestoredKeyedState.Entry migrate(
            StateSerializer<K> oldKeyReader, String stateName, RestoredKeyedState.Entry stored) {
        readBuffer.wrap(stored.key());
        K key = oldKeyReader.read(readBuffer, 0, stored.key().length);
        int keyGroup = KeyGroupAssignment.assignToKeyGroup(key, maxParallelism);
        if (keyGroup != stored.keyGroup() && !range.contains(keyGroup)) {
            throw new IncompatibleStateException("restored key moved to a key group this instance does not own: state="
                    + stateName + ", key=" + key + ", storedKeyGroup=" + stored.keyGroup() + ", keyGroup=" + keyGroup
                    + ", range=" + range + "; the key serializer migration changed the key's hashCode,"
                    + " restore at parallelism 1 once to rehash every key");
        }
        int length = keySerializer.write(key, writeBuffer, 0);
        byte[] migratedKey = new byte[length];
        writeBuffer.getBytes(0, migratedKey, 0, length);
        RestoredKeyedState.Entry migrated =
                new RestoredKeyedState.Entry(keyGroup, migratedKey, stored.namespace(), stored.value());
        RestoredKeyedState.Entry first = firstStoredKey
                .computeIfAbsent(stateName, name -> new HashMap<>())
                .putIfAbsent(ByteBuffer.wrap(migratedKey), stored);
        if (first != null && !Arrays.equals(first.key(), stored.key())) {
            throw new IncompatibleStateException("key serializer migration maps two stored keys to one key: state="
                    + stateName + ", key=" + key + ", first=" + describe(first) + ", second=" + describe(stored)
                    + "; their state would merge, so the restore is refused");
        }
        return migrated;
    }

    private static String describe(RestoredKeyedState.Entry stored) {
        return "(keyGroup=" + stored.keyGroup() + ", storedBytes=" + hex(stored.key()) + ")";
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder("0x");
        int shown = Math.min(bytes.length, MAX_HEX_BYTES);
        for (int i = 0; i < shown; i++) {
            text.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        if (shown < bytes.length) {
            text.append("...(").append(bytes.length).append(" bytes)");
        }
        return text.toString();
    }
}

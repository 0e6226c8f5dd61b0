package io.tidemark.backend;

import io.tidemark.ConfigurationException;
import io.tidemark.keygroup.KeyGroupAssignment;
import io.tidemark.keygroup.KeyGroupRange;
import io.tidemark.keygroup.StableKeyHash;
import io.tidemark.serialization.StateSerializer;
import java.nio.file.Path;

/**
 * What a keyed backend is created with.
 *
 * @param operatorId stable id of the operator, used in file names and errors
 * @param keySerializer serializer of the partition key; a key type it reveals must have a stable hash ({@link
 *     StableKeyHash})
 * @param maxParallelism number of key groups, fixed for the life of the state
 * @param keyGroupRange the key groups this instance owns
 * @param clock processing-time source for TTL
 * @param workingDirectory where file-backed backends keep live files; {@code null} for the heap backend
 */
public record KeyedBackendParameters<K>(
        String operatorId,
        StateSerializer<K> keySerializer,
        int maxParallelism,
        KeyGroupRange keyGroupRange,
        TtlClock clock,
        Path workingDirectory) {
    public KeyedBackendParameters {
        if (operatorId == null || operatorId.isEmpty()) {
            throw new ConfigurationException("operatorId missing");
        }
        if (keySerializer == null) {
            throw new ConfigurationException("key serializer missing: operator=" + operatorId);
        }
        StableKeyHash.checkKeySerializer(keySerializer, "operator=" + operatorId);
        KeyGroupAssignment.checkParallelism(maxParallelism, 1);
        if (keyGroupRange.endKeyGroup() >= maxParallelism) {
            throw new ConfigurationException("key-group range outside max parallelism: operator=" + operatorId
                    + ", range=" + keyGroupRange + ", maxParallelism=" + maxParallelism);
        }
        if (clock == null) {
            throw new ConfigurationException("TTL clock missing: operator=" + operatorId);
        }
    }

    /** Parameters for an instance owning every key group, with the system clock and no working directory. */
    public static <K> KeyedBackendParameters<K> allKeyGroups(
            String operatorId, StateSerializer<K> keySerializer, int maxParallelism) {
        return new KeyedBackendParameters<>(
                operatorId, keySerializer, maxParallelism, KeyGroupRange.all(maxParallelism), TtlClock.SYSTEM, null);
    }

    public KeyedBackendParameters<K> withRange(KeyGroupRange range) {
        return new KeyedBackendParameters<>(operatorId, keySerializer, maxParallelism, range, clock, workingDirectory);
    }

    public KeyedBackendParameters<K> withClock(TtlClock newClock) {
        return new KeyedBackendParameters<>(
                operatorId, keySerializer, maxParallelism, keyGroupRange, newClock, workingDirectory);
    }

    public KeyedBackendParameters<K> withWorkingDirectory(Path directory) {
        return new KeyedBackendParameters<>(operatorId, keySerializer, maxParallelism, keyGroupRange, clock, directory);
    }
}

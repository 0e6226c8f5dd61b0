package io.tidemark.backend.snapshot;

import io.tidemark.keygroup.KeyGroupRange;
import java.util.ServiceLoader;

/**
 * Converts a backend's native keyed snapshot into the canonical format, so that tools that know only the canonical
 * format (the checkpoint module's offline reader, inspector and savepoint transform) read every snapshot the product
 * writes. A backend with a native format registers one in {@code
 * META-INF/services/io.tidemark.backend.snapshot.NativeSnapshotConverter}; {@link #forFormat} finds it.
 *
 * <p>Implementations are stateless and thread-safe. Control plane: conversion reads and verifies the native streams
 * and writes the canonical stream to {@code scratch}; it allocates freely.
 */
public interface NativeSnapshotConverter {
    /** The {@link KeyedStateHandle#format()} this converter reads. */
    String format();

    /**
     * Re-emits the entries of {@code wanted}'s key groups as one canonical stream written to {@code scratch}.
     *
     * @param streamName the name of the canonical stream to create in {@code scratch}
     * @return the canonical handle, or {@code null} if {@code handle} holds none of the wanted key groups
     * @throws io.tidemark.CorruptCheckpointException if the payload or a stream fails verification
     */
    KeyedStateHandle toCanonical(
            KeyedStateHandle handle,
            SnapshotReader reader,
            KeyGroupRange wanted,
            SnapshotStorage scratch,
            String streamName,
            ClassLoader classLoader);

    /**
     * The converter registered for {@code format} on the class path of {@code classLoader}, or {@code null} if none
     * is.
     */
    static NativeSnapshotConverter forFormat(String format, ClassLoader classLoader) {
        for (NativeSnapshotConverter c : ServiceLoader.load(NativeSnapshotConverter.class, classLoader)) {
            if (c.format().equals(format)) {
                return c;
            }
        }
        return null;
    }
}

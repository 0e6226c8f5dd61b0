package io.tidemark.backend.snapshot;

import io.tidemark.keygroup.KeyGroupRange;
import java.util.Arrays;
import java.util.List;

/**
 * The result of one keyed backend's snapshot.
 *
 * @param format {@code canonical} (see {@link io.tidemark.backend.canonical.CanonicalFormat}) or a backend's native
 *     format name
 * @param keyGroupRange the key groups covered
 * @param streams every stream the handle needs, including shared streams of earlier checkpoints
 * @param payload small format-specific metadata (for canonical: key-group offsets)
 */
public record KeyedStateHandle(String format, KeyGroupRange keyGroupRange, List<StreamHandle> streams, byte[] payload) {
    public KeyedStateHandle {
        streams = List.copyOf(streams);
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyedStateHandle h
                && format.equals(h.format)
                && keyGroupRange.equals(h.keyGroupRange)
                && streams.equals(h.streams)
                && Arrays.equals(payload, h.payload);
    }

    @Override
    public int hashCode() {
        return (format.hashCode() * 31 + keyGroupRange.hashCode()) * 31 + streams.hashCode();
    }

    @Override
    public String toString() {
        return "KeyedStateHandle{format=" + format + ", range=" + keyGroupRange + ", streams=" + streams + "}";
    }
}

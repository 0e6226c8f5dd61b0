package io.tidemark.checkpoint.format;

import io.tidemark.keygroup.KeyGroupRange;
import java.util.Objects;

/**
 * The identity a data file carries in its header: which checkpoint wrote it, for which key groups, holding what. A
 * reader is given the identity it expects and refuses a file whose header says otherwise (a swapped file).
 */
public record DataFileHeader(long checkpointId, KeyGroupRange keyGroupRange, FileKind kind) {
    public DataFileHeader {
        Objects.requireNonNull(keyGroupRange, "keyGroupRange");
        Objects.requireNonNull(kind, "kind");
    }
}

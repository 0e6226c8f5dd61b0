package io.tidemark.backend.canonical;

/**
 * The backend-independent keyed snapshot format: every backend writes it for savepoints and reads it on restore. The
 * heap backend also uses it for its checkpoints. Layout (big-endian, as written by {@link java.io.DataOutputStream}):
 *
 * <pre>
 * header:   magic i32 "TMKS" | version i32 | maxParallelism i32 | key serializer snapshot
 *           | stateCount i32 | StateMetaInfo x stateCount
 * per key group in the handle's range, in order (its offset is recorded in the handle payload):
 *           keyGroup i32 | entry* | END (i32 -1)
 * entry:    stateIndex i32 | keyLength i32 | key | namespaceLength i32 | namespace | valueLength i32 | value
 * payload:  version i32 | firstKeyGroup i32 | count i32 | offset i64 x count
 * </pre>
 *
 * Within a key group, canonical snapshots (savepoints) sort entries by state, then key bytes, then namespace bytes, so
 * that the same state always produces the same bytes.
 */
public final class CanonicalFormat {
    public static final String FORMAT_NAME = "canonical";
    public static final int MAGIC = 0x544d4b53;
    public static final int VERSION = 1;
    public static final int END_OF_KEY_GROUP = -1;
    /** Largest key, namespace or value in one entry. */
    public static final int MAX_ENTRY_PART = 1 << 30;

    private CanonicalFormat() {}
}

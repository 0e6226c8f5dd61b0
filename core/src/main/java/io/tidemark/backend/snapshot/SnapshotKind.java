package io.tidemark.backend.snapshot;

/** What a snapshot must contain. */
public enum SnapshotKind {
    /** Native format; may reference streams of earlier completed checkpoints (only changed data is written). */
    INCREMENTAL,
    /** Native format, self-contained. */
    FULL,
    /** Backend-independent key/value format of savepoints, readable by every backend. */
    CANONICAL
}

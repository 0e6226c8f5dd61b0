package io.tidemark.checkpoint.storage;

/** What to do when the latest complete checkpoint fails verification at start. */
public enum RestorePolicy {
    /** Fail with the corruption error. The default: never restore older state without being asked. */
    LATEST_ONLY,
    /** Use the newest checkpoint that verifies; the skipped ones are listed in the {@link RecoveryReport}. */
    FALLBACK_TO_OLDER
}

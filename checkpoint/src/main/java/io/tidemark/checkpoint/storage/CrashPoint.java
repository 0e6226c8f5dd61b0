package io.tidemark.checkpoint.storage;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named points in the commit protocol where a test JVM can be made to die, as RocksDB's kill points.
 *
 * <p>Off unless the JVM is started with {@code -Dtidemark.crashpoint=<name>} (and optionally {@code
 * -Dtidemark.crashpoint.hit=<n>}, default 1, to die on the n-th time that point is reached). When the named point is
 * reached the JVM prints {@code CRASHPOINT <name>} to stdout and stops with {@link Runtime#halt(int)} status {@link
 * #HALT_STATUS}: no shutdown hooks, no finalisation, no flushing, like a kill -9. The name is read once into a {@code
 * static final} field, so when it is off the JIT folds every {@link #hit(String)} to nothing.
 */
public final class CrashPoint {
    public static final String PROPERTY = "tidemark.crashpoint";
    public static final String HIT_PROPERTY = "tidemark.crashpoint.hit";
    public static final int HALT_STATUS = 86;

    /** All data files of the checkpoint are fsynced; no metadata written yet. */
    public static final String AFTER_DATA_FSYNC = "after-data-fsync";
    /** {@code _metadata.tmp} is written and fsynced, not yet renamed. */
    public static final String AFTER_METADATA_TMP_FSYNC = "after-metadata-tmp-fsync";
    /** {@code _metadata.tmp} renamed to {@code _metadata}; the directory is not yet fsynced. */
    public static final String AFTER_RENAME = "after-rename";
    /** The checkpoint directory is fsynced: the checkpoint is complete, listeners not yet told, retention not run. */
    public static final String AFTER_DIRECTORY_FSYNC = "after-directory-fsync";
    /** Retention removed the {@code _metadata} of a dropped checkpoint but not yet its files. */
    public static final String DURING_RETENTION_DELETE = "during-retention-delete";

    /** A savepoint's data files and {@code _metadata} are durable in its in-progress directory, not yet published. */
    public static final String SAVEPOINT_BEFORE_PUBLISH = "savepoint-before-publish";
    /** Some of a savepoint's data files are written, {@code _metadata} not. */
    public static final String SAVEPOINT_DURING_DATA = "savepoint-during-data";
    /** A restore plan verified every file it needs; no state loaded yet. */
    public static final String AFTER_RESTORE_VERIFY = "after-restore-verify";
    /** A subtask restored its keyed state, not yet its operator state. */
    public static final String DURING_RESTORE = "during-restore";

    /** The crash points of savepoints and restore (C3), outside the checkpoint commit protocol. */
    public static final String[] SAVEPOINT_AND_RESTORE = {
        SAVEPOINT_DURING_DATA, SAVEPOINT_BEFORE_PUBLISH, AFTER_RESTORE_VERIFY, DURING_RESTORE
    };

    /** The crash points of the checkpoint commit protocol (C2). */
    public static final String[] ALL = {
        AFTER_DATA_FSYNC, AFTER_METADATA_TMP_FSYNC, AFTER_RENAME, AFTER_DIRECTORY_FSYNC, DURING_RETENTION_DELETE
    };

    private static final String ACTIVE = System.getProperty(PROPERTY);
    private static final int HIT = Integer.getInteger(HIT_PROPERTY, 1);
    private static final AtomicInteger HITS = new AtomicInteger();

    private CrashPoint() {}

    /** Dies here if {@code name} is the configured crash point (and this is the configured hit). */
    public static void hit(String name) {
        if (ACTIVE != null && ACTIVE.equals(name) && HITS.incrementAndGet() == HIT) {
            System.out.println("CRASHPOINT " + name);
            System.out.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}

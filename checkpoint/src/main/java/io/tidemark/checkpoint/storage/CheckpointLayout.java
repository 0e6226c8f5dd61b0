package io.tidemark.checkpoint.storage;

import java.nio.file.Path;

/**
 * Where checkpoint files live below a root directory.
 *
 * <pre>
 * root/
 *   chk-7/            one directory per checkpoint, named by its decimal id
 *     _metadata       written last (via _metadata.tmp + rename): its presence makes chk-7 complete
 *     task-0.keyed    files owned by this checkpoint only (Scope.EXCLUSIVE)
 *   chk-8/
 *   shared/           files referenced by several incremental checkpoints (Scope.SHARED), reference counted
 *   _lock             held (OS file lock) by the one open CheckpointStorage
 * </pre>
 *
 * A savepoint is one self-contained directory with the same {@code _metadata} and only exclusive files.
 */
public final class CheckpointLayout {
    public static final String METADATA = "_metadata";
    /** Lock file in the root, held by the one open {@link CheckpointStorage}; never deleted. */
    public static final String LOCK = "_lock";

    public static final String METADATA_TMP = "_metadata.tmp";
    public static final String SHARED_DIRECTORY = "shared";
    public static final String CHECKPOINT_PREFIX = "chk-";
    public static final String TMP_SUFFIX = ".tmp";

    private final Path root;

    public CheckpointLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path sharedDirectory() {
        return root.resolve(SHARED_DIRECTORY);
    }

    public Path checkpointDirectory(long checkpointId) {
        return root.resolve(CHECKPOINT_PREFIX + checkpointId);
    }

    /** The checkpoint id a directory name stands for, or {@code -1} if it is not a checkpoint directory name. */
    public static long parseCheckpointId(String name) {
        if (!name.startsWith(CHECKPOINT_PREFIX)
                || name.length() == CHECKPOINT_PREFIX.length()
                || name.length() > CHECKPOINT_PREFIX.length() + 18) {
            return -1;
        }
        long id = 0;
        for (int i = CHECKPOINT_PREFIX.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return name.equals(CHECKPOINT_PREFIX + id) ? id : -1;
    }
}

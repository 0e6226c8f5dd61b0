package io.tidemark.checkpoint.storage;

import io.tidemark.checkpoint.fs.CheckpointFileSystem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens a {@link CheckpointStorage} as a restarted engine would: the storage previously opened here on the same root
 * is closed first (its process "ended" and the OS dropped its lock). Tests that reopen a root use this; C4 (a second
 * engine while the first runs) is {@link RootLockTest}.
 */
public final class Restart {
    private static final Map<Path, CheckpointStorage> OPEN = new HashMap<>();

    private Restart() {}

    public static synchronized CheckpointStorage open(
            CheckpointStorageConfig config, CheckpointFileSystem fs, RestorePolicy policy) {
        Path root = config.root().toAbsolutePath().normalize();
        CheckpointStorage previous = OPEN.remove(root);
        if (previous != null) {
            previous.close();
        }
        CheckpointStorage storage = CheckpointStorage.open(config, fs, policy);
        OPEN.put(root, storage);
        return storage;
    }
}

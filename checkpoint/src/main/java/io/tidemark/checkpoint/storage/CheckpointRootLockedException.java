package io.tidemark.checkpoint.storage;

import io.tidemark.ConfigurationException;

/**
 * Another {@link CheckpointStorage}, in this or another process, holds the lock of the checkpoint root: two engines
 * must never write one state directory. Stop the other engine, or give this one its own root.
 */
public class CheckpointRootLockedException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    public CheckpointRootLockedException(String message) {
        super(message);
    }
}

package io.tidemark.checkpoint.fs;

import io.tidemark.ConfigurationException;

/**
 * Another engine, in this or another process, holds the {@link DirectoryLock} of a state directory or checkpoint
 * root: two engines must never write one directory. Stop the other engine, or give this one its own directory.
 */
public class DirectoryLockedException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    public DirectoryLockedException(String message) {
        super(message);
    }
}

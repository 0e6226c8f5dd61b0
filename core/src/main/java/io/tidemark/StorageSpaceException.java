package io.tidemark;

/** The storage ran out of space (disk full, file-size limit, quota). Raised at allocation, never as a later crash. */
public class StorageSpaceException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    public StorageSpaceException(String message) {
        super(message);
    }

    public StorageSpaceException(String message, Throwable cause) {
        super(message, cause);
    }
}

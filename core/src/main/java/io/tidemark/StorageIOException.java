package io.tidemark;

/** An I/O operation on a named file failed for a reason other than lack of space. */
public class StorageIOException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    public StorageIOException(String message) {
        super(message);
    }

    public StorageIOException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.tidemark;

/** A key, value or state exceeds a configured or structural limit. Raised before any state is mutated. */
public class StateSizeException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    public StateSizeException(String message) {
        super(message);
    }

    public StateSizeException(String message, Throwable cause) {
        super(message, cause);
    }
}

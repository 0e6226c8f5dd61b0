package io.tidemark;

/** Restored state cannot be read by the serializer registered now; names the state, the old and the new schema. */
public class IncompatibleStateException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    public IncompatibleStateException(String message) {
        super(message);
    }

    public IncompatibleStateException(String message, Throwable cause) {
        super(message, cause);
    }
}

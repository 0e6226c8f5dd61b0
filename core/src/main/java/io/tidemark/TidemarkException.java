package io.tidemark;

/**
 * Root of every error Tidemark raises. Unchecked: callers on the hot path never pay for checked-exception plumbing,
 * and control-plane callers catch the subtype that names what happened.
 *
 * <p>Messages read {@code "what: field=value, limit=value"} and name the state, key group, file or setting involved.
 */
public class TidemarkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TidemarkException(String message) {
        super(message);
    }

    public TidemarkException(String message, Throwable cause) {
        super(message, cause);
    }
}

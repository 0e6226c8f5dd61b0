package io.tidemark;

/** State was used outside its contract: no current key, wrong thread, closed backend, unknown state name. */
public class StateAccessException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    public StateAccessException(String message) {
        super(message);
    }

    public StateAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}

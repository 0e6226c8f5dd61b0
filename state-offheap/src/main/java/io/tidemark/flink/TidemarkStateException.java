package io.tidemark.flink;

import org.apache.flink.util.FlinkRuntimeException;

/** A Flink state operation on the Tidemark store failed: the message names the state and what was wrong. */
public final class TidemarkStateException extends FlinkRuntimeException {
    private static final long serialVersionUID = 1L;

    public TidemarkStateException(String message) {
        super(message);
    }

    public TidemarkStateException(String message, Throwable cause) {
        super(message, cause);
    }
}

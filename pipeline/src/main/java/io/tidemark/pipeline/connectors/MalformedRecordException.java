package io.tidemark.pipeline.connectors;

import io.tidemark.TidemarkException;

/** A record that does not decode; the message is the reason, written to the dead-letter file as is. */
public class MalformedRecordException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String reason) {
        super(reason);
    }
}

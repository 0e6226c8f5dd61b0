package io.tidemark;

/** Bytes that do not decode with the serializer asked to read them; names the serializer and the reason. */
public class SerializationException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}

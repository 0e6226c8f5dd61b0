package io.tidemark;

/** A setting is missing or outside its allowed range; the message names the setting, its value and the range. */
public class ConfigurationException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}

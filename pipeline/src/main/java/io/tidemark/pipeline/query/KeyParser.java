package io.tidemark.pipeline.query;

import io.tidemark.serialization.BooleanSerializer;
import io.tidemark.serialization.DoubleSerializer;
import io.tidemark.serialization.EnumSerializer;
import io.tidemark.serialization.IntSerializer;
import io.tidemark.serialization.LongSerializer;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.serialization.StringSerializer;

/**
 * Turns the string form of a key from a URL into a key object of the state's key type, as its key serializer names
 * it: strings as they are, numbers parsed, enum constants by name. A key type without a string form is refused.
 */
final class KeyParser {
    /** A key that does not parse; the HTTP layer answers 400 with the message. */
    static final class BadKeyException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadKeyException(String message) {
            super(message);
        }
    }

    private KeyParser() {}

    static Object parse(String text, StateSerializer<?> keySerializer) {
        try {
            if (keySerializer instanceof StringSerializer) {
                return text;
            }
            if (keySerializer instanceof LongSerializer) {
                return Long.parseLong(text);
            }
            if (keySerializer instanceof IntSerializer) {
                return Integer.parseInt(text);
            }
            if (keySerializer instanceof DoubleSerializer) {
                return Double.parseDouble(text);
            }
            if (keySerializer instanceof BooleanSerializer) {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException("not true or false");
                }
                return Boolean.parseBoolean(text);
            }
            if (keySerializer instanceof EnumSerializer<?> e) {
                return parseEnum(e.enumClass(), text);
            }
        } catch (IllegalArgumentException e) {
            throw new BadKeyException(
                    "key does not parse: key=" + text + ", keyType=" + typeName(keySerializer) + ": " + e.getMessage());
        }
        throw new BadKeyException("key type has no string form: keyType=" + typeName(keySerializer));
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
        return Enum.valueOf(type, text);
    }

    static String typeName(StateSerializer<?> serializer) {
        if (serializer instanceof StringSerializer) {
            return "string";
        }
        if (serializer instanceof LongSerializer) {
            return "long";
        }
        if (serializer instanceof IntSerializer) {
            return "int";
        }
        if (serializer instanceof DoubleSerializer) {
            return "double";
        }
        if (serializer instanceof BooleanSerializer) {
            return "boolean";
        }
        if (serializer instanceof EnumSerializer<?> e) {
            return "enum:" + e.enumClass().getName();
        }
        return serializer.toString();
    }
}

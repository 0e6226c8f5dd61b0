package io.tidemark.serialization;

import io.tidemark.StateSizeException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes {@code String} values as UTF-8 with no length prefix: the length is the {@code length} given to
 * {@link #read} (composites that embed a string prefix it themselves). Like {@link String#getBytes} with UTF-8, an
 * unpaired surrogate is written as {@code '?'}; malformed input on read decodes to U+FFFD.
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}. {@link #write} encodes straight into the buffer and does not
 * allocate; {@link #read} allocates the string.
 */
public final class StringSerializer implements StateSerializer<String> {
    public static final StringSerializer INSTANCE = new StringSerializer();

    private static final int MAX_BYTES_PER_CHAR = 3;

    private StringSerializer() {}

    @Override
    public int fixedLength() {
        return VARIABLE_LENGTH;
    }

    @Override
    public int write(String value, MutableDirectBuffer buffer, int offset) {
        if ((long) offset + (long) MAX_BYTES_PER_CHAR * value.length() > Integer.MAX_VALUE) {
            checkEncodable(value, offset);
        }
        int position = offset;
        int chars = value.length();
        for (int i = 0; i < chars; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                buffer.putByte(position++, (byte) c);
            } else if (c < 0x800) {
                buffer.putByte(position++, (byte) (0xC0 | (c >> 6)));
                buffer.putByte(position++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                buffer.putByte(position++, (byte) (0xF0 | (codePoint >> 18)));
                buffer.putByte(position++, (byte) (0x80 | ((codePoint >> 12) & 0x3F)));
                buffer.putByte(position++, (byte) (0x80 | ((codePoint >> 6) & 0x3F)));
                buffer.putByte(position++, (byte) (0x80 | (codePoint & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                buffer.putByte(position++, (byte) '?');
            } else {
                buffer.putByte(position++, (byte) (0xE0 | (c >> 12)));
                buffer.putByte(position++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                buffer.putByte(position++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return position - offset;
    }

    @Override
    public String read(DirectBuffer buffer, int offset, int length) {
        ReadChecks.checkRegion("string", buffer, offset, length);
        return buffer.getStringWithoutLengthUtf8(offset, length);
    }

    @Override
    public SerializerSnapshot<String> snapshot() {
        return new ScalarSnapshot<>(ScalarSnapshot.Kind.STRING);
    }

    @Override
    public String toString() {
        return "StringSerializer";
    }

    private static void checkEncodable(String value, int offset) {
        long bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        if (offset + bytes > Integer.MAX_VALUE) {
            throw new StateSizeException("string too large to encode: utf8Bytes=" + bytes + ", offset=" + offset
                    + ", limit=" + Integer.MAX_VALUE);
        }
    }
}

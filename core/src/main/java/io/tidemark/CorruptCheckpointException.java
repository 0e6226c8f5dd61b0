package io.tidemark;

/**
 * Durable data failed verification: a checksum, magic, version, length or identity check did not match. Names the
 * file, the offset within it, and what was expected and found. Corrupt data is never used.
 */
public class CorruptCheckpointException extends TidemarkException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final String expected;
    private final String actual;

    public CorruptCheckpointException(String what, String file, long offset, Object expected, Object actual) {
        super(what + ": file=" + file + ", offset=" + offset + ", expected=" + expected + ", actual=" + actual);
        this.file = file;
        this.offset = offset;
        this.expected = String.valueOf(expected);
        this.actual = String.valueOf(actual);
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}

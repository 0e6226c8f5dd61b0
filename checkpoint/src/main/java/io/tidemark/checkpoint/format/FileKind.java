package io.tidemark.checkpoint.format;

/** What a data file holds; stored in its header so a file put in the wrong place is refused. */
public enum FileKind {
    KEYED_STATE(1),
    OPERATOR_STATE(2),
    CANONICAL_SAVEPOINT(3),
    OTHER(15);

    private final int code;

    FileKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind with {@code code}, or {@code null} when no kind has it. */
    public static FileKind ofCode(int code) {
        for (FileKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}

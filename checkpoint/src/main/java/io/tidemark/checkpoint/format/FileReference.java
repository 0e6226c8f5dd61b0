package io.tidemark.checkpoint.format;

import java.util.Objects;

/**
 * One file a checkpoint needs, as listed in its {@code _metadata}: where it lives ({@link Scope}), its name there,
 * its exact length and the CRC32C of all its bytes. Names are plain file names (no separators, no {@code ..}), so a
 * checkpoint or savepoint directory can be moved as a whole.
 */
public record FileReference(String name, Scope scope, long length, int crc32c) {
    public static final int MAX_NAME_BYTES = 255;

    /** Where a referenced file lives. */
    public enum Scope {
        /** In the checkpoint's (or savepoint's) own directory, owned by that checkpoint alone. */
        EXCLUSIVE(0),
        /** In the {@code shared/} directory beside the checkpoints, reference counted across checkpoints. */
        SHARED(1);

        private final int code;

        Scope(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The scope with {@code code}, or {@code null}. */
        public static Scope ofCode(int code) {
            return code == 0 ? EXCLUSIVE : code == 1 ? SHARED : null;
        }
    }

    public FileReference {
        Objects.requireNonNull(scope, "scope");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid checkpoint file name: name=" + name
                    + ", allowed=[A-Za-z0-9._-], 1.." + MAX_NAME_BYTES + " chars, not starting with '.' or '_'");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative file length: name=" + name + ", length=" + length);
        }
    }

    /** Plain names only: letters, digits, '.', '_', '-'; not starting with '.' or '_' (reserved for our own files). */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_BYTES) {
            return false;
        }
        char first = name.charAt(0);
        if (first == '.' || first == '_') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return !name.endsWith(".tmp");
    }
}

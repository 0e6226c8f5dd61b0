package io.tidemark.checkpoint.fs;

import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import io.tidemark.TidemarkException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Maps {@link IOException}s to Tidemark's typed storage errors, always naming the operation and the file. */
public final class StorageErrors {
    private StorageErrors() {}

    /**
     * {@link StorageSpaceException} for ENOSPC, EDQUOT and EFBIG (the JVM ignores SIGXFSZ, so {@code ulimit -f} shows up
     * as "File too large"); {@link StorageIOException} for everything else.
     */
    public static TidemarkException translate(String operation, Path file, IOException cause) {
        String reason = String.valueOf(cause.getMessage());
        if (isOutOfSpace(reason)) {
            return new StorageSpaceException(
                    "out of storage space: operation=" + operation + ", file=" + file + ", reason=" + reason, cause);
        }
        return new StorageIOException(
                "I/O error: operation=" + operation + ", file=" + file + ", reason=" + cause, cause);
    }

    static boolean isOutOfSpace(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        return r.contains("no space left on device")
                || r.contains("file too large")
                || r.contains("disk quota exceeded");
    }
}

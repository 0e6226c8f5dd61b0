package io.tidemark.state.chronicle;

import io.tidemark.StateSizeException;
import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import io.tidemark.TidemarkException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns what Chronicle Map throws into Tidemark's typed errors, naming the state and the file. Chronicle reports a full
 * map ("Attempt to allocate #n extra segment tier, m is maximum") and an oversize entry ("Entry is too large", "Value
 * too large") as {@link IllegalStateException}/{@link IllegalArgumentException}; a fault on a memory-mapped page (a
 * sparse file on a full disk, an I/O error) surfaces as {@link InternalError}.
 */
final class ChronicleFailures {
    private ChronicleFailures() {}

    static TidemarkException translate(Throwable failure, String operation, String state, Path file, long entries) {
        String message = String.valueOf(failure.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        String where = ": state=" + state + ", file=" + file + ", entries=" + entries;
        if (lower.contains("extra segment tier")) {
            return new StateSizeException(
                    "chronicle map full, raise expectedEntries or maxBloatFactor" + where + ", chronicle="
                            + firstLine(message),
                    failure);
        }
        if (lower.contains("too large")) {
            return new StateSizeException(
                    "chronicle map entry too large" + where + ", chronicle=" + firstLine(message), failure);
        }
        if (isNoSpace(failure)) {
            return new StorageSpaceException(
                    "no space for chronicle map" + where + ", operation=" + operation + ", cause=" + message, failure);
        }
        if (failure instanceof InternalError || hasCause(failure, IOException.class)) {
            return new StorageIOException(
                    "chronicle map I/O failed" + where + ", operation=" + operation + ", cause=" + message, failure);
        }
        if (failure instanceof TidemarkException tidemark) {
            return tidemark;
        }
        return new StorageIOException(
                "chronicle map operation failed" + where + ", operation=" + operation + ", cause=" + failure, failure);
    }

    static boolean isNoSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("no space left")
                    || message.contains("disk quota")
                    || message.contains("file too large")) {
                return true;
            }
            // a fault while touching a page of a sparse mapped file: on Linux that is SIGBUS, almost always ENOSPC
            if (t instanceof InternalError && message.contains("unsafe memory access")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}

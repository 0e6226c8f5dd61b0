package io.tidemark.state.chronicle;

import io.tidemark.ConfigurationException;
import io.tidemark.StorageIOException;
import io.tidemark.StorageSpaceException;
import io.tidemark.keygroup.KeyGroupRange;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where one backend instance keeps its live map files, and the rule that they are a cache (P6): opening deletes what an
 * earlier run left for the same operator and any overlapping key-group range, since after an unclean stop those files
 * are not trusted and state comes back from a checkpoint instead.
 *
 * <pre>
 * workingDirectory/
 *   chronicle-{operatorId}-kg{start}-{end}-{nonce}/   one backend instance
 *     000-{state}.cm3                                 one Chronicle Map per state, index-prefixed
 * </pre>
 *
 * Directories of the same operator whose range does not overlap are left alone: they may belong to a live sibling
 * instance sharing the working directory. The random nonce keeps an instance that is still closing (a restart in the
 * same process) from deleting the files of its successor: {@link #delete()} removes only its own directory. Operator
 * thread only.
 */
final class BackendDirectory {
    static final String PREFIX = "chronicle-";
    static final String SUFFIX = ".cm3";
    private static final Pattern RANGE = Pattern.compile("-kg(\\d+)-(\\d+)(-[0-9a-z]+)?$");
    private static final int MAX_NAME_CHARS = 80;

    private final Path directory;

    private BackendDirectory(Path directory) {
        this.directory = directory;
    }

    /** Deletes stale files of this operator and range, then creates an empty instance directory. */
    static BackendDirectory open(Path workingDirectory, String operatorId, KeyGroupRange range) {
        if (workingDirectory == null) {
            throw new ConfigurationException(
                    "chronicle backend needs a working directory: workingDirectory=null, operator=" + operatorId);
        }
        String operatorPrefix = PREFIX + sanitize(operatorId) + "-kg";
        String nonce = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        Path directory = workingDirectory.resolve(
                operatorPrefix + range.startKeyGroup() + "-" + range.endKeyGroup() + "-" + nonce);
        try {
            Files.createDirectories(workingDirectory);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(workingDirectory, operatorPrefix + "*")) {
                for (Path entry : entries) {
                    if (overlaps(entry.getFileName().toString(), range)) {
                        deleteRecursively(entry);
                    }
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw ioFailure("cannot prepare chronicle working directory", directory, e);
        }
        return new BackendDirectory(directory);
    }

    private static boolean overlaps(String name, KeyGroupRange range) {
        Matcher matcher = RANGE.matcher(name);
        if (!matcher.find()) {
            return false;
        }
        try {
            long start = Long.parseLong(matcher.group(1));
            long end = Long.parseLong(matcher.group(2));
            return start <= range.endKeyGroup() && end >= range.startKeyGroup();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    Path directory() {
        return directory;
    }

    /** The file of state {@code index}; the index keeps names unique after sanitizing. */
    Path stateFile(int index, String stateName) {
        return directory.resolve(String.format("%03d-%s%s", index, sanitize(stateName), SUFFIX));
    }

    /** Deletes the instance directory and whatever is left in it. */
    void delete() {
        try {
            deleteRecursively(directory);
        } catch (IOException e) {
            throw ioFailure("cannot delete chronicle working directory", directory, e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String sanitize(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_NAME_CHARS));
        for (int i = 0; i < name.length() && out.length() < MAX_NAME_CHARS; i++) {
            char c = name.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            out.append(plain ? c : '_');
        }
        return out.toString();
    }

    private static RuntimeException ioFailure(String what, Path path, IOException e) {
        String message = what + ": directory=" + path + ", cause=" + e;
        return ChronicleFailures.isNoSpace(e)
                ? new StorageSpaceException(message, e)
                : new StorageIOException(message, e);
    }
}

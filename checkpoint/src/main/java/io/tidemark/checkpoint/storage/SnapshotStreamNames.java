package io.tidemark.checkpoint.storage;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.checkpoint.format.FileReference;
import io.tidemark.checkpoint.format.InlineStream;

/**
 * How a file of a checkpoint is named in a {@link io.tidemark.backend.snapshot.StreamHandle}: its file name for an
 * exclusive file ({@code keyed-0-127.3}), {@code shared/} plus its file name for a shared one, {@code inline/} plus
 * its name for a stream kept inside {@code _metadata}. Relative, so a checkpoint or savepoint directory can move.
 */
final class SnapshotStreamNames {
    static final String SHARED_PREFIX = CheckpointLayout.SHARED_DIRECTORY + "/";
    static final String INLINE_PREFIX = "inline/";
    private static final int MAX_STEM = 180;

    private SnapshotStreamNames() {}

    static String streamName(FileReference file) {
        return file.scope() == FileReference.Scope.SHARED ? SHARED_PREFIX + file.name() : file.name();
    }

    static String streamName(InlineStream stream) {
        return INLINE_PREFIX + stream.name();
    }

    static boolean isInline(String streamName) {
        return streamName.startsWith(INLINE_PREFIX);
    }

    /** The name of the inline stream {@code streamName} denotes (which must be {@link #isInline}). */
    static String inlineNameOf(String streamName) {
        return streamName.substring(INLINE_PREFIX.length());
    }

    static FileReference.Scope scopeOf(String streamName) {
        return streamName.startsWith(SHARED_PREFIX) ? FileReference.Scope.SHARED : FileReference.Scope.EXCLUSIVE;
    }

    static String fileNameOf(String streamName) {
        return streamName.startsWith(SHARED_PREFIX) ? streamName.substring(SHARED_PREFIX.length()) : streamName;
    }

    /**
     * A file name for a backend's stream name: characters outside {@code [A-Za-z0-9._-]} become '_', and a suffix
     * makes it unique ({@code .<sequence>} for exclusive files; {@code .c<checkpointId>.<sequence>} for shared ones,
     * which live beside the files of other checkpoints).
     */
    static String fileNameFor(String streamName, boolean shared, long checkpointId, long sequence) {
        StringBuilder sb = new StringBuilder("s-");
        for (int i = 0; i < streamName.length() && sb.length() < MAX_STEM; i++) {
            char c = streamName.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-';
            sb.append(ok ? c : '_');
        }
        if (shared) {
            sb.append(".c").append(checkpointId);
        }
        return sb.append('.').append(sequence).toString();
    }

    static CorruptCheckpointException notListed(String streamName, String metadataFile) {
        String entry = isInline(streamName) ? "an inline stream entry for " : "a file entry for ";
        return new CorruptCheckpointException(
                "stream not listed in _metadata", metadataFile, 0, entry + streamName, "none");
    }
}

package io.tidemark.checkpoint.storage;

import io.tidemark.checkpoint.format.FileReference;
import java.util.HashMap;
import java.util.Map;

/**
 * Reference counts of the files in {@code shared/}: one reference per retained checkpoint that lists the file, plus
 * one per pending checkpoint that reuses it (so retention cannot delete a file a running checkpoint is about to
 * reference). A file is deleted exactly when its count drops to zero. Not thread-safe: guarded by {@link
 * CheckpointStorage}.
 */
final class SharedFileRegistry {
    private static final class Entry {
        final FileReference file;
        int count;

        Entry(FileReference file) {
            this.file = file;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();

    void acquire(FileReference file) {
        entries.computeIfAbsent(file.name(), n -> new Entry(file)).count++;
    }

    /** @return true when this released the last reference */
    boolean release(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalStateException("releasing an unreferenced shared file: " + name);
        }
        if (--e.count == 0) {
            entries.remove(name);
            return true;
        }
        return false;
    }

    int count(String name) {
        Entry e = entries.get(name);
        return e == null ? 0 : e.count;
    }

    /** The reference (length, CRC32C) of a referenced shared file, or {@code null}. */
    FileReference file(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.file;
    }
}

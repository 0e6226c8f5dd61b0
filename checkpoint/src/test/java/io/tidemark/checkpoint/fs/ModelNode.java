package io.tidemark.checkpoint.fs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file or directory as {@link FaultInjectingFileSystem} models it: current and durable lengths of a file; current
 * entries, durable entries and the un-synced entry changes (oldest first) of a directory. Guarded by the file system's
 * lock.
 */
final class ModelNode {
    final int id;
    final boolean directory;
    final Map<String, ModelNode> children = new TreeMap<>();
    final Map<String, ModelNode> durableChildren = new TreeMap<>();
    /** Entry changes since the last sync of this directory, oldest first; each is atomic. */
    final List<EntryChange> pending = new ArrayList<>();

    long length;
    long durableLength;
    Path path;

    ModelNode(int id, boolean directory) {
        this.id = id;
        this.directory = directory;
    }

    Path location() {
        return path;
    }

    void changeEntry(String name, ModelNode to) {
        changeEntries(name, to, null, null);
    }

    void changeEntries(String name, ModelNode to, String name2, ModelNode to2) {
        EntryChange change = new EntryChange(name, to, name2, to2);
        change.applyTo(children);
        pending.add(change);
    }

    /** One atomic change of up to two entries of a directory (a rename changes two); {@code null} node = removed. */
    record EntryChange(String name, ModelNode to, String name2, ModelNode to2) {
        void applyTo(Map<String, ModelNode> entries) {
            set(entries, name, to);
            if (name2 != null) {
                set(entries, name2, to2);
            }
        }

        private static void set(Map<String, ModelNode> entries, String name, ModelNode to) {
            if (to == null) {
                entries.remove(name);
            } else {
                entries.put(name, to);
            }
        }
    }
}

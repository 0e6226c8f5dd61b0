package io.tidemark.checkpoint.storage;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reference counts of the files in {@code shared/}: one reference per retained checkpoint that lists the file, plus
 * one per pending checkpoint that reuses it (so retention cannot delete a file a running checkpoint is about to
 * reference). A file is deleted exactly when its count drops to zero. Not thread-safe: guarded by {@link
 * CheckpointStorage}.
 */
final class SharedFileRegistry {
    private final Map<String, int[]> counts = new HashMap<>();

    void acquire(String name) {
        counts.computeIfAbsent(name, n -> new int[1])[0]++;
    }

    /** @return true when this released the last reference */
    boolean release(String name) {
        int[] c = counts.get(name);
        if (c == null) {
            throw new IllegalStateException("releasing an unreferenced shared file: " + name);
        }
        if (--c[0] == 0) {
            counts.remove(name);
            return true;
        }
        return false;
    }

    int count(String name) {
        int[] c = counts.get(name);
        return c == null ? 0 : c[0];
    }

    Set<String> names() {
        return Set.copyOf(counts.keySet());
    }
}

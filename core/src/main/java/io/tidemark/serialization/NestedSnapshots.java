package io.tidemark.serialization;

import io.tidemark.SerializationException;
import java.io.DataInput;
import java.io.IOException;

/** Helpers for snapshots that contain the snapshots of nested serializers (list, map, record). Cold path. */
final class NestedSnapshots {
    /** Bounds counts read from a snapshot before anything is allocated for them. */
    static final int MAX_COUNT = 65_535;
    /** Separates the items of a reason; containers prefix each item with where it happened. */
    static final String SEPARATOR = "; ";

    private NestedSnapshots() {}

    static SerializerSnapshot<Object> read(DataInput in, ClassLoader classLoader) throws IOException {
        return SerializerSnapshots.read(in, classLoader);
    }

    /** Asks {@code old} about {@code next}; the caller has matched them by position or name, not by type. */
    @SuppressWarnings("unchecked")
    static SchemaCompatibility resolve(SerializerSnapshot<?> old, StateSerializer<?> next) {
        return ((SerializerSnapshot<Object>) old).resolveCompatibility((StateSerializer<Object>) next);
    }

    static int readCount(DataInput in, String what) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_COUNT) {
            throw new SerializationException(
                    "invalid count in serializer snapshot: what=" + what + ", count=" + count + ", max=" + MAX_COUNT);
        }
        return count;
    }

    /**
     * Prefixes every item of a nested reason with the record field it happened in, joining field paths: {@code field
     * 'a'} around {@code field 'b' changed type: ...} reads {@code field 'a.b' changed type: ...}.
     */
    static String inField(String field, String reason) {
        String fieldPrefix = "field '";
        String[] items = reason.split(SEPARATOR);
        for (int i = 0; i < items.length; i++) {
            items[i] = items[i].startsWith(fieldPrefix)
                    ? fieldPrefix + field + "." + items[i].substring(fieldPrefix.length())
                    : fieldPrefix + field + "' " + items[i];
        }
        return String.join(SEPARATOR, items);
    }

    /** Prefixes every item of {@code reason} with {@code where}, e.g. {@code list element: }. */
    static String within(String where, String reason) {
        String[] items = reason.split(SEPARATOR);
        for (int i = 0; i < items.length; i++) {
            items[i] = where + ": " + items[i];
        }
        return String.join(SEPARATOR, items);
    }

    /** Combines the answer of a nested snapshot into the answer of its container, prefixing the reason. */
    static SchemaCompatibility nested(String where, SchemaCompatibility inner) {
        if (inner.isCompatibleAsIs()) {
            return inner;
        }
        String reason = within(where, inner.reason());
        return inner.isIncompatible()
                ? SchemaCompatibility.incompatible(reason)
                : SchemaCompatibility.compatibleAfterMigration(reason);
    }
}

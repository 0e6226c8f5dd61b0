package io.tidemark.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Snapshot of a {@link ListSerializer}: the element serializer's snapshot. The list framing never changes, so the
 * answer is the element's answer: as is, after migration, or incompatible with the reason prefixed by
 * {@code list element}.
 *
 * <p>Written form, version 1: the element snapshot as {@link SerializerSnapshots#write} writes it. Cold path.
 *
 * @param <T> the element type
 */
public final class ListSnapshot<T> implements SerializerSnapshot<List<T>> {
    private static final int VERSION = 1;

    private SerializerSnapshot<T> elementSnapshot;

    /** For {@link SerializerSnapshots#read}; the content is set by {@link #readSnapshot}. */
    public ListSnapshot() {}

    ListSnapshot(SerializerSnapshot<T> elementSnapshot) {
        this.elementSnapshot = elementSnapshot;
    }

    public SerializerSnapshot<T> elementSnapshot() {
        return elementSnapshot;
    }

    @Override
    public int currentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        SerializerSnapshots.write(elementSnapshot, out);
    }

    @Override
    public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
        elementSnapshot = SerializerSnapshots.read(in, classLoader);
    }

    @Override
    public StateSerializer<List<T>> restoreSerializer() {
        return new ListSerializer<>(elementSnapshot.restoreSerializer());
    }

    @Override
    public SchemaCompatibility resolveCompatibility(StateSerializer<List<T>> newSerializer) {
        if (!(newSerializer instanceof ListSerializer<T> next)) {
            return SchemaCompatibility.incompatible("changed type: " + describe() + " -> "
                    + newSerializer.snapshot().describe());
        }
        return NestedSnapshots.nested("list element", elementSnapshot.resolveCompatibility(next.elementSerializer()));
    }

    @Override
    public String describe() {
        return "list<" + elementSnapshot.describe() + ">";
    }

    @Override
    public String toString() {
        return "ListSnapshot[" + describe() + "]";
    }
}

package io.tidemark.serialization;

import io.tidemark.IncompatibleStateException;
import io.tidemark.SerializationException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshot of a {@link RecordSerializer}: the record class name and, per field in the written order, its name, whether
 * it was primitive (no presence byte), its fixed length and the snapshot of its serializer.
 *
 * <p>Against a new record serializer fields are matched by name ({@link RecordEvolution} has the rules): the same
 * fields in the same order, each read as is, are read as is; added, removed or reordered fields, a primitive field
 * that became nullable, or a field that itself needs migration, mean migration; a field whose type changed is refused.
 * The record class may have been renamed or moved: {@link #resolveCompatibility} remembers the new class, and
 * {@link #describe()} then names both.
 *
 * <p>{@link #restoreSerializer()} reads the old layout into the current record class: the class last passed to
 * {@link #resolveCompatibility}, or else the stored class name loaded through the snapshot's class loader.
 *
 * <p>Written form, version 1: class name (UTF), field count (int), then per field: name (UTF), primitive (boolean),
 * fixed length (int, -1 for variable), nested snapshot as {@link SerializerSnapshots#write} writes it. Cold path.
 *
 * @param <R> the record type
 */
public final class RecordSnapshot<R extends Record> implements SerializerSnapshot<R> {
    private static final int VERSION = 1;

    /** One field as it was written. */
    record Field(String name, boolean primitive, int fixedLength, SerializerSnapshot<?> snapshot) {
        String typeName() {
            if (!primitive && snapshot instanceof ScalarSnapshot<?> scalar) {
                return scalar.kind().nullableTypeName();
            }
            return snapshot.describe();
        }
    }

    private String className;
    private List<Field> fields;
    private ClassLoader classLoader;
    private RecordSerializer<R> current;

    /** For {@link SerializerSnapshots#read}; the content is set by {@link #readSnapshot}. */
    public RecordSnapshot() {}

    RecordSnapshot(RecordSerializer<R> serializer, List<Field> fields) {
        this.className = serializer.recordClass().getName();
        this.fields = fields;
        this.current = serializer;
    }

    public String className() {
        return className;
    }

    /** The field names in the order they were written. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>(fields.size());
        for (Field field : fields) {
            names.add(field.name());
        }
        return names;
    }

    List<Field> fields() {
        return fields;
    }

    @Override
    public int currentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeUTF(className);
        out.writeInt(fields.size());
        for (Field field : fields) {
            out.writeUTF(field.name());
            out.writeBoolean(field.primitive());
            out.writeInt(field.fixedLength());
            SerializerSnapshots.write(field.snapshot(), out);
        }
    }

    @Override
    public void readSnapshot(int readVersion, DataInput in, ClassLoader loader) throws IOException {
        className = in.readUTF();
        int count = NestedSnapshots.readCount(in, "fields of record " + className);
        List<Field> read = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            boolean primitive = in.readBoolean();
            int fixedLength = in.readInt();
            if (fixedLength < StateSerializer.VARIABLE_LENGTH) {
                throw new SerializationException("invalid field length in record snapshot: record=" + className
                        + ", field=" + name + ", fixedLength=" + fixedLength);
            }
            read.add(new Field(name, primitive, fixedLength, SerializerSnapshots.read(in, loader)));
        }
        fields = List.copyOf(read);
        classLoader = loader;
        current = null;
    }

    @Override
    public SchemaCompatibility resolveCompatibility(StateSerializer<R> newSerializer) {
        if (!(newSerializer instanceof RecordSerializer<R> next)) {
            return SchemaCompatibility.incompatible("changed type: " + describe() + " -> "
                    + newSerializer.snapshot().describe());
        }
        current = next;
        return RecordEvolution.plan(this, next).compatibility();
    }

    @Override
    public StateSerializer<R> restoreSerializer() {
        RecordSerializer<R> target = current != null ? current : new RecordSerializer<>(loadClass());
        RecordEvolution plan = RecordEvolution.plan(this, target);
        if (plan.compatibility().isIncompatible()) {
            throw new IncompatibleStateException("record state cannot be migrated: old=" + describe() + ", reason="
                    + plan.compatibility().reason());
        }
        return new OldRecordReader<>(this, target, plan);
    }

    /** The fixed length of the old layout, as {@link RecordSerializer#fixedLength()} computed it. */
    int writtenFixedLength() {
        int sum = 0;
        for (Field field : fields) {
            if (!field.primitive() || field.fixedLength() <= 0) {
                return StateSerializer.VARIABLE_LENGTH;
            }
            sum += field.fixedLength();
        }
        return fields.isEmpty() ? StateSerializer.VARIABLE_LENGTH : sum;
    }

    @Override
    public String describe() {
        StringBuilder text = new StringBuilder("record ").append(className).append('(');
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            text.append(i == 0 ? "" : ", ").append(field.name()).append(": ").append(field.typeName());
        }
        text.append(')');
        if (current != null && !current.recordClass().getName().equals(className)) {
            text.append(" (renamed to ").append(current.recordClass().getName()).append(')');
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "RecordSnapshot[" + describe() + "]";
    }

    private Class<R> loadClass() {
        ClassLoader loader = classLoader != null ? classLoader : RecordSnapshot.class.getClassLoader();
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new SerializationException(
                    "snapshot record class not found; if it was renamed, resolve compatibility against the new "
                            + "serializer first: class=" + className,
                    e);
        }
        if (!type.isRecord()) {
            throw new SerializationException("snapshot record class is no longer a record: class=" + className);
        }
        @SuppressWarnings("unchecked")
        Class<R> recordType = (Class<R>) type;
        return recordType;
    }
}

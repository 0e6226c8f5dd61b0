package io.tidemark.serialization;

import io.tidemark.IncompatibleStateException;
import io.tidemark.SerializationException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshot of an {@link EnumSerializer}: the enum class name and its constant names in ordinal order.
 *
 * <p>Against a new enum serializer, constants are matched by name: the same constants in the same order are read as
 * is; added or reordered constants are migrated (stored ordinal, to old name, to the current constant); a removed
 * constant is refused, since stored state may hold it and there is no value to map it to. The enum class may have been
 * renamed or moved; {@link #describe()} says so once {@link #resolveCompatibility} has seen the new class.
 *
 * <p>Written form, version 1: class name (UTF), constant count (int), constant names (UTF each). Cold path.
 *
 * @param <E> the enum type
 */
public final class EnumSnapshot<E extends Enum<E>> implements SerializerSnapshot<E> {
    private static final int VERSION = 1;

    private String className;
    private List<String> constantNames;
    private ClassLoader classLoader;
    private Class<E> currentClass;

    /** For {@link SerializerSnapshots#read}; the content is set by {@link #readSnapshot}. */
    public EnumSnapshot() {}

    EnumSnapshot(Class<E> enumClass) {
        this.className = enumClass.getName();
        this.constantNames = namesOf(enumClass);
        this.currentClass = enumClass;
    }

    public String className() {
        return className;
    }

    public List<String> constantNames() {
        return constantNames;
    }

    @Override
    public int currentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeUTF(className);
        out.writeInt(constantNames.size());
        for (String name : constantNames) {
            out.writeUTF(name);
        }
    }

    @Override
    public void readSnapshot(int readVersion, DataInput in, ClassLoader loader) throws IOException {
        className = in.readUTF();
        int count = NestedSnapshots.readCount(in, "enum constants of " + className);
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(in.readUTF());
        }
        constantNames = List.copyOf(names);
        classLoader = loader;
        currentClass = null;
    }

    @Override
    public SchemaCompatibility resolveCompatibility(StateSerializer<E> newSerializer) {
        if (!(newSerializer instanceof EnumSerializer<E> next)) {
            return SchemaCompatibility.incompatible("changed type: " + describe() + " -> "
                    + newSerializer.snapshot().describe());
        }
        currentClass = next.enumClass();
        List<String> nextNames = namesOf(currentClass);
        List<String> removed = new ArrayList<>();
        for (String name : constantNames) {
            if (!nextNames.contains(name)) {
                removed.add(name);
            }
        }
        if (!removed.isEmpty()) {
            return SchemaCompatibility.incompatible(
                    "enum " + className + " removed constants " + removed + "; stored values may hold them");
        }
        if (nextNames.equals(constantNames)) {
            return SchemaCompatibility.compatibleAsIs();
        }
        return SchemaCompatibility.compatibleAfterMigration(
                "enum " + className + " constants added or reordered: old=" + constantNames + ", new=" + nextNames);
    }

    @Override
    public StateSerializer<E> restoreSerializer() {
        Class<E> target = currentClass != null ? currentClass : loadClass();
        E[] byStoredOrdinal = newArray(target, constantNames.size());
        for (int ordinal = 0; ordinal < byStoredOrdinal.length; ordinal++) {
            try {
                byStoredOrdinal[ordinal] = Enum.valueOf(target, constantNames.get(ordinal));
            } catch (IllegalArgumentException e) {
                throw new IncompatibleStateException(
                        "enum constant removed: enum=" + target.getName() + ", constant=" + constantNames.get(ordinal),
                        e);
            }
        }
        return new OldEnumReader<>(this, byStoredOrdinal);
    }

    @Override
    public String describe() {
        String base = "enum " + className + "{" + String.join(", ", constantNames) + "}";
        if (currentClass != null && !currentClass.getName().equals(className)) {
            return base + " (renamed to " + currentClass.getName() + ")";
        }
        return base;
    }

    private static <E extends Enum<E>> List<String> namesOf(Class<E> enumClass) {
        E[] constants = enumClass.getEnumConstants();
        List<String> names = new ArrayList<>(constants.length);
        for (E constant : constants) {
            names.add(constant.name());
        }
        return List.copyOf(names);
    }

    @SuppressWarnings("unchecked")
    private Class<E> loadClass() {
        try {
            Class<?> type = Class.forName(className, false, classLoader);
            if (!type.isEnum()) {
                throw new SerializationException("snapshot enum class is no longer an enum: class=" + className);
            }
            return (Class<E>) type;
        } catch (ClassNotFoundException e) {
            throw new SerializationException(
                    "snapshot enum class not found; if it was renamed, resolve compatibility against the new "
                            + "serializer first: class=" + className,
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E> E[] newArray(Class<E> type, int length) {
        return (E[]) java.lang.reflect.Array.newInstance(type, length);
    }

    @Override
    public String toString() {
        return "EnumSnapshot[" + describe() + "]";
    }
}

package io.tidemark.serialization;

import io.tidemark.IncompatibleStateException;
import io.tidemark.SerializationException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

/**
 * Persists {@link SerializerSnapshot}s with their class name and version, and turns a compatibility answer into the
 * serializer a restore should read with.
 */
public final class SerializerSnapshots {
    private SerializerSnapshots() {}

    /** Writes class name, version and content. */
    public static void write(SerializerSnapshot<?> snapshot, DataOutput out) throws IOException {
        out.writeUTF(snapshot.getClass().getName());
        out.writeInt(snapshot.currentVersion());
        snapshot.writeSnapshot(out);
    }

    /**
     * Reads a snapshot written by {@link #write}.
     *
     * @throws SerializationException if the class is missing, cannot be instantiated, or the version is newer than the
     *     class supports
     */
    public static <T> SerializerSnapshot<T> read(DataInput in, ClassLoader classLoader) throws IOException {
        String className = in.readUTF();
        int version = in.readInt();
        SerializerSnapshot<T> snapshot = instantiate(className, classLoader);
        if (version > snapshot.currentVersion() || version < 1) {
            throw new SerializationException("serializer snapshot version not supported: class=" + className
                    + ", version=" + version + ", supported=[1, " + snapshot.currentVersion() + "]");
        }
        snapshot.readSnapshot(version, in, classLoader);
        return snapshot;
    }

    /**
     * Decides how to read state described by {@code old} when {@code newSerializer} is registered now.
     *
     * @return the serializer to read the stored bytes with: {@code newSerializer} when compatible as is, the old
     *     snapshot's restore serializer when migration is needed
     * @throws IncompatibleStateException naming the state, the old and the new schema, when incompatible
     */
    public static <T> StateSerializer<T> readerFor(
            String stateName, String role, SerializerSnapshot<T> old, StateSerializer<T> newSerializer) {
        SchemaCompatibility compatibility = old.resolveCompatibility(newSerializer);
        if (compatibility.isCompatibleAsIs()) {
            return newSerializer;
        }
        if (compatibility.isAfterMigration()) {
            return old.restoreSerializer();
        }
        throw new IncompatibleStateException("incompatible " + role + " schema: state=" + stateName + ", old="
                + old.describe() + ", new=" + newSerializer.snapshot().describe() + ", reason="
                + compatibility.reason());
    }

    /**
     * Loads the named class without initialising it and checks that it is a {@link SerializerSnapshot} before creating
     * it, so that a corrupt or hostile snapshot cannot run an arbitrary class's static initialiser.
     */
    @SuppressWarnings("unchecked")
    private static <T> SerializerSnapshot<T> instantiate(String className, ClassLoader classLoader) {
        Class<?> type;
        try {
            type = Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SerializationException("serializer snapshot class not found: class=" + className, e);
        }
        if (!SerializerSnapshot.class.isAssignableFrom(type)) {
            throw new SerializationException(
                    "serializer snapshot class is not a SerializerSnapshot: class=" + className);
        }
        try {
            return (SerializerSnapshot<T>) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new SerializationException(
                    "serializer snapshot class cannot be instantiated: class=" + className
                            + ", need a public no-argument constructor",
                    cause);
        }
    }
}

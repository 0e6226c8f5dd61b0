package io.tidemark.serialization;

import io.tidemark.SerializationException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Snapshot of the stateless scalar serializers ({@code long}, {@code int}, {@code double}, {@code boolean},
 * {@code string}, {@code bytes}). Their formats never change, so the only question on restore is whether the new
 * serializer is of the same kind: then the bytes are read as they are, otherwise the state is refused.
 *
 * <p>Written form, version 1: the kind name as {@code writeUTF}. Cold path.
 *
 * @param <T> the type of values
 */
public final class ScalarSnapshot<T> implements SerializerSnapshot<T> {
    private static final int VERSION = 1;

    /** The scalar kinds; the name is persisted, so constants may be added but never renamed. */
    public enum Kind {
        LONG("long", "Long"),
        INT("int", "Integer"),
        DOUBLE("double", "Double"),
        BOOLEAN("boolean", "Boolean"),
        STRING("string", "string"),
        BYTES("bytes", "bytes");

        private final String typeName;
        private final String nullableTypeName;

        Kind(String typeName, String nullableTypeName) {
            this.typeName = typeName;
            this.nullableTypeName = nullableTypeName;
        }

        /** The name used in descriptions, e.g. {@code long}. */
        public String typeName() {
            return typeName;
        }

        /** The name of a nullable (boxed) field of this kind inside a record, e.g. {@code Long}. */
        String nullableTypeName() {
            return nullableTypeName;
        }

        StateSerializer<?> serializer() {
            return switch (this) {
                case LONG -> LongSerializer.INSTANCE;
                case INT -> IntSerializer.INSTANCE;
                case DOUBLE -> DoubleSerializer.INSTANCE;
                case BOOLEAN -> BooleanSerializer.INSTANCE;
                case STRING -> StringSerializer.INSTANCE;
                case BYTES -> BytesSerializer.INSTANCE;
            };
        }
    }

    private Kind kind;

    /** For {@link SerializerSnapshots#read}; the kind is set by {@link #readSnapshot}. */
    public ScalarSnapshot() {}

    ScalarSnapshot(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public int currentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeUTF(kind.name());
    }

    @Override
    public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
        String name = in.readUTF();
        try {
            kind = Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("unknown scalar serializer kind in snapshot: kind=" + name, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public StateSerializer<T> restoreSerializer() {
        return (StateSerializer<T>) kind.serializer();
    }

    @Override
    public SchemaCompatibility resolveCompatibility(StateSerializer<T> newSerializer) {
        SerializerSnapshot<T> next = newSerializer.snapshot();
        if (next instanceof ScalarSnapshot<T> scalar && scalar.kind == kind) {
            return SchemaCompatibility.compatibleAsIs();
        }
        return SchemaCompatibility.incompatible("changed type: " + describe() + " -> " + next.describe());
    }

    @Override
    public String describe() {
        return kind.typeName();
    }
}

package io.tidemark.serialization;

import io.tidemark.SerializationException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes a record by its components, in declaration order, and rebuilds it through the canonical constructor.
 *
 * <pre>
 * | field 0 | field 1 | ... |
 * primitive field (long, int, double, boolean): value, bare
 * other field:  | presence: 0 = null, 1 = present | value framed as in {@link Framing}, only when present |
 * </pre>
 *
 * <p>A record whose components are all primitive (with fixed-length serializers) has a fixed length, the sum of theirs;
 * any other record, and a record without components, is variable length. Component serializers come from {@link Serializers#forType} (nested records, lists, maps, enums, scalars),
 * or from the caller through {@link #RecordSerializer(Class, List)}. The snapshot keeps the field names, so records
 * may later gain, lose or reorder fields, or be renamed (see {@link RecordSnapshot}).
 *
 * <p>Thread-safe when every component serializer is stateless. {@link #write} reads components reflectively and may
 * box primitive components; {@link #read} allocates the record and its components. {@link #copy} deep-copies
 * components whose types are mutable (lists, maps, arrays).
 *
 * @param <R> the record type
 */
public final class RecordSerializer<R extends Record> implements StateSerializer<R> {
    static final byte ABSENT = 0;
    static final byte PRESENT = 1;

    private final Class<R> recordClass;
    private final String description;
    private final String[] names;
    private final boolean[] primitive;
    private final Method[] accessors;
    private final StateSerializer<Object>[] serializers;
    private final Constructor<R> constructor;
    private final int fixedLength;
    private final boolean deepCopy;

    /** Serializes {@code recordClass} with component serializers from {@link Serializers#forType}. */
    public RecordSerializer(Class<R> recordClass) {
        this(recordClass, Serializers.componentSerializers(recordClass));
    }

    /**
     * Serializes {@code recordClass} with the given component serializers, one per component in declaration order.
     * Use it to plug a custom serializer in for one component.
     *
     * @throws SerializationException if the count does not match or the record cannot be accessed reflectively
     */
    @SuppressWarnings("unchecked")
    public RecordSerializer(Class<R> recordClass, List<? extends StateSerializer<?>> componentSerializers) {
        RecordComponent[] components = recordClass.getRecordComponents();
        if (components == null || components.length != componentSerializers.size()) {
            throw new SerializationException("record serializer needs one serializer per component: record="
                    + recordClass.getName() + ", components="
                    + (components == null ? "not a record" : components.length)
                    + ", serializers=" + componentSerializers.size());
        }
        this.recordClass = recordClass;
        this.description = "record " + recordClass.getName();
        this.names = new String[components.length];
        this.primitive = new boolean[components.length];
        this.accessors = new Method[components.length];
        this.serializers = (StateSerializer<Object>[]) new StateSerializer<?>[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean allPrimitive = components.length > 0;
        boolean anyMutable = false;
        int sum = 0;
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            types[i] = components[i].getType();
            primitive[i] = types[i].isPrimitive();
            accessors[i] = accessible(components[i].getAccessor());
            serializers[i] = (StateSerializer<Object>) componentSerializers.get(i);
            allPrimitive &= primitive[i] && serializers[i].fixedLength() > 0;
            sum += Math.max(0, serializers[i].fixedLength());
            anyMutable |= isMutable(serializers[i]);
        }
        this.fixedLength = allPrimitive ? sum : VARIABLE_LENGTH;
        this.deepCopy = anyMutable;
        this.constructor = canonicalConstructor(recordClass, types);
    }

    public Class<R> recordClass() {
        return recordClass;
    }

    @Override
    public int fixedLength() {
        return fixedLength;
    }

    @Override
    public int write(R value, MutableDirectBuffer buffer, int offset) {
        int position = offset;
        for (int i = 0; i < serializers.length; i++) {
            Object field = get(i, value);
            if (primitive[i]) {
                position = Framing.writeElement(serializers[i], field, buffer, position);
            } else if (field == null) {
                buffer.putByte(position++, ABSENT);
            } else {
                buffer.putByte(position++, PRESENT);
                position = Framing.writeElement(serializers[i], field, buffer, position);
            }
        }
        return position - offset;
    }

    @Override
    public R read(DirectBuffer buffer, int offset, int length) {
        ReadCursor cursor = new ReadCursor(description, buffer, offset, length);
        Object[] args = new Object[serializers.length];
        for (int i = 0; i < serializers.length; i++) {
            args[i] = readField(cursor, primitive[i], serializers[i].fixedLength(), serializers[i]);
        }
        cursor.checkFullyConsumed();
        return construct(args);
    }

    @Override
    public R copy(R value) {
        if (!deepCopy) {
            return value;
        }
        Object[] args = new Object[serializers.length];
        for (int i = 0; i < serializers.length; i++) {
            Object field = get(i, value);
            args[i] = field == null ? null : serializers[i].copy(field);
        }
        return construct(args);
    }

    @Override
    public SerializerSnapshot<R> snapshot() {
        RecordSnapshot.Field[] fields = new RecordSnapshot.Field[names.length];
        for (int i = 0; i < names.length; i++) {
            fields[i] = new RecordSnapshot.Field(
                    names[i], primitive[i], serializers[i].fixedLength(), serializers[i].snapshot());
        }
        return new RecordSnapshot<>(this, List.of(fields));
    }

    @Override
    public boolean isStateless() {
        for (StateSerializer<Object> serializer : serializers) {
            if (!serializer.isStateless()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StateSerializer<R> duplicate() {
        if (isStateless()) {
            return this;
        }
        StateSerializer<?>[] copies = new StateSerializer<?>[serializers.length];
        for (int i = 0; i < serializers.length; i++) {
            copies[i] = serializers[i].duplicate();
        }
        return new RecordSerializer<>(recordClass, List.of(copies));
    }

    @Override
    public String toString() {
        return "RecordSerializer[" + recordClass.getName() + "]";
    }

    int fieldCount() {
        return names.length;
    }

    String fieldName(int index) {
        return names[index];
    }

    boolean fieldPrimitive(int index) {
        return primitive[index];
    }

    StateSerializer<Object> fieldSerializer(int index) {
        return serializers[index];
    }

    /** The value an added field gets when old state is migrated: zero or false for primitives, null otherwise. */
    Object fieldDefault(int index) {
        Class<?> type = accessors[index].getReturnType();
        return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
    }

    R construct(Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new SerializationException(
                    "record constructor rejected the decoded fields: record=" + recordClass.getName(), e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new SerializationException("record cannot be constructed: record=" + recordClass.getName(), e);
        }
    }

    /** Reads one field framed as {@link #write} frames it, for a serializer that had {@code fixedLength}. */
    static Object readField(ReadCursor cursor, boolean primitive, int fixedLength, StateSerializer<?> serializer) {
        if (!primitive && !readPresence(cursor)) {
            return null;
        }
        return cursor.readElement(serializer, fixedLength);
    }

    static void skipField(ReadCursor cursor, boolean primitive, int fixedLength) {
        if (primitive || readPresence(cursor)) {
            cursor.skipElement(fixedLength);
        }
    }

    private static boolean readPresence(ReadCursor cursor) {
        byte presence = cursor.readByte();
        if (presence != ABSENT && presence != PRESENT) {
            throw new SerializationException("record: invalid presence byte: value=" + presence + ", expected=0 or 1");
        }
        return presence == PRESENT;
    }

    private Object get(int index, R value) {
        try {
            return accessors[index].invoke(value);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(
                    "record accessor threw: record=" + recordClass.getName() + ", field=" + names[index], e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(
                    "record accessor not accessible: record=" + recordClass.getName() + ", field=" + names[index], e);
        }
    }

    private static boolean isMutable(StateSerializer<?> serializer) {
        if (serializer instanceof RecordSerializer<?> nested) {
            return nested.deepCopy;
        }
        return !(serializer instanceof LongSerializer
                || serializer instanceof IntSerializer
                || serializer instanceof DoubleSerializer
                || serializer instanceof BooleanSerializer
                || serializer instanceof StringSerializer
                || serializer instanceof EnumSerializer<?>);
    }

    private static Method accessible(Method accessor) {
        try {
            accessor.setAccessible(true);
            return accessor;
        } catch (RuntimeException e) {
            throw new SerializationException("record accessor not accessible: method=" + accessor, e);
        }
    }

    private static <R> Constructor<R> canonicalConstructor(Class<R> recordClass, Class<?>[] types) {
        try {
            Constructor<R> constructor = recordClass.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new SerializationException(
                    "record canonical constructor not accessible: record=" + recordClass.getName(), e);
        }
    }
}

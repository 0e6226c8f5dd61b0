package io.tidemark.serialization;

import io.tidemark.SerializationException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Picks the built-in serializer for a Java type.
 *
 * <table>
 *   <caption>Supported types</caption>
 *   <tr><th>type</th><th>serializer</th></tr>
 *   <tr><td>{@code long}, {@code Long}</td><td>{@link LongSerializer}</td></tr>
 *   <tr><td>{@code int}, {@code Integer}</td><td>{@link IntSerializer}</td></tr>
 *   <tr><td>{@code double}, {@code Double}</td><td>{@link DoubleSerializer}</td></tr>
 *   <tr><td>{@code boolean}, {@code Boolean}</td><td>{@link BooleanSerializer}</td></tr>
 *   <tr><td>{@code String}</td><td>{@link StringSerializer}</td></tr>
 *   <tr><td>{@code byte[]}</td><td>{@link BytesSerializer}</td></tr>
 *   <tr><td>an enum</td><td>{@link EnumSerializer}</td></tr>
 *   <tr><td>a record of supported types (not recursive)</td><td>{@link RecordSerializer}</td></tr>
 *   <tr><td>{@code List<X>}, {@code Map<K, V>} of supported types</td><td>{@link ListSerializer},
 *       {@link MapSerializer}</td></tr>
 * </table>
 *
 * <p>Cold path: call once per state at registration and keep the serializer.
 */
public final class Serializers {
    private Serializers() {}

    /**
     * The serializer for {@code type}. For generic types ({@code List<X>}) use {@link #forType} with a
     * {@link ParameterizedType}, e.g. the generic type of a field.
     *
     * @throws SerializationException naming the type if it is not supported
     */
    @SuppressWarnings("unchecked")
    public static <T> StateSerializer<T> of(Class<T> type) {
        return (StateSerializer<T>) forType(type);
    }

    /**
     * The serializer for {@code type}: a {@link Class} or a {@link ParameterizedType} of {@code List} or {@code Map}.
     *
     * @throws SerializationException naming the type (and the record component on the way to it) if it is not
     *     supported
     */
    public static StateSerializer<?> forType(Type type) {
        return resolve(type, new ArrayDeque<>());
    }

    static List<StateSerializer<?>> componentSerializers(Class<? extends Record> recordClass) {
        Deque<Class<?>> inProgress = new ArrayDeque<>();
        inProgress.push(recordClass);
        return componentSerializers(recordClass, inProgress);
    }

    private static StateSerializer<?> resolve(Type type, Deque<Class<?>> inProgress) {
        if (type instanceof Class<?> cls) {
            return resolveClass(cls, inProgress);
        }
        if (type instanceof ParameterizedType parameterized) {
            Type raw = parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (raw == List.class) {
                return new ListSerializer<>(resolve(args[0], inProgress));
            }
            if (raw == Map.class) {
                return new MapSerializer<>(resolve(args[0], inProgress), resolve(args[1], inProgress));
            }
        }
        throw unsupported(type);
    }

    private static StateSerializer<?> resolveClass(Class<?> cls, Deque<Class<?>> inProgress) {
        if (cls == long.class || cls == Long.class) {
            return LongSerializer.INSTANCE;
        }
        if (cls == int.class || cls == Integer.class) {
            return IntSerializer.INSTANCE;
        }
        if (cls == double.class || cls == Double.class) {
            return DoubleSerializer.INSTANCE;
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return BooleanSerializer.INSTANCE;
        }
        if (cls == String.class) {
            return StringSerializer.INSTANCE;
        }
        if (cls == byte[].class) {
            return BytesSerializer.INSTANCE;
        }
        if (cls.isEnum()) {
            return enumSerializer(cls);
        }
        if (cls.isRecord()) {
            return recordSerializer(cls.asSubclass(Record.class), inProgress);
        }
        if (cls == List.class || cls == Map.class) {
            throw new SerializationException("raw collection type has no element type: type=" + cls.getName()
                    + ", declare it with type arguments, e.g. List<String>");
        }
        throw unsupported(cls);
    }

    private static <R extends Record> RecordSerializer<R> recordSerializer(Class<R> cls, Deque<Class<?>> inProgress) {
        if (inProgress.contains(cls)) {
            throw new SerializationException("recursive record type not supported: type=" + cls.getName());
        }
        inProgress.push(cls);
        try {
            return new RecordSerializer<>(cls, componentSerializers(cls, inProgress));
        } finally {
            inProgress.pop();
        }
    }

    private static List<StateSerializer<?>> componentSerializers(Class<?> cls, Deque<Class<?>> inProgress) {
        List<StateSerializer<?>> serializers = new ArrayList<>();
        for (RecordComponent component : cls.getRecordComponents()) {
            try {
                serializers.add(resolve(component.getGenericType(), inProgress));
            } catch (SerializationException e) {
                throw new SerializationException(
                        "record component not serializable: record=" + cls.getName() + ", component="
                                + component.getName() + ": " + e.getMessage(),
                        e);
            }
        }
        return serializers;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static StateSerializer<?> enumSerializer(Class<?> cls) {
        return new EnumSerializer(cls);
    }

    private static SerializationException unsupported(Type type) {
        return new SerializationException("no built-in serializer for type: type=" + type.getTypeName()
                + ", supported=long, int, double, boolean and their boxes, String, byte[], enums, records, "
                + "List<X>, Map<K, V>");
    }
}

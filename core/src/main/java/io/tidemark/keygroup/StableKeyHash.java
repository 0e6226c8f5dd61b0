package io.tidemark.keygroup;

import io.tidemark.ConfigurationException;
import io.tidemark.serialization.BytesSerializer;
import io.tidemark.serialization.EnumSerializer;
import io.tidemark.serialization.RecordSerializer;
import io.tidemark.serialization.StateSerializer;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;

/**
 * Refuses key types whose {@code hashCode()} is not the same in every JVM. A key's key group is {@code
 * murmur(key.hashCode()) % maxParallelism}; an identity hash gives the same key another key group after a restart, so
 * its state would be filed where nobody looks for it (promise P10). Refused, as Apache Flink refuses them at {@code
 * keyBy}:
 *
 * <ul>
 *   <li>enums ({@link Enum#hashCode()} is final and identity based);
 *   <li>arrays (identity hash, whatever the content);
 *   <li>classes that inherit {@link Object#hashCode()};
 *   <li>records with a component of one of those types (a record's hash combines its components' hashes).
 * </ul>
 *
 * Interfaces, abstract classes and {@code Object} cannot be decided from the declared type and are accepted here; the
 * keyed backends check the concrete class of every new key class they see. A record is judged by its components even
 * if it overrides {@code hashCode()} itself: use a stable component (an enum's {@code name()}) instead.
 *
 * <p>Threads: any. The verdict per class is computed once (reflection) and cached; afterwards a check allocates only
 * when it throws.
 */
public final class StableKeyHash {
    /** The verdict per class, computed once by reflection: "" when stable, else the reason. */
    private static final ClassValue<String> VERDICTS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String reason = unstableReason(type);
            return reason == null ? "" : reason;
        }
    };

    private StableKeyHash() {}

    /**
     * Checks the key type a key serializer reveals ({@link EnumSerializer}, {@link BytesSerializer}, {@link
     * RecordSerializer}); other serializers do not say their type and pass.
     *
     * @param where who uses the key (an operator name), for the message
     * @throws ConfigurationException naming the key type and why its hash is not stable
     */
    public static void checkKeySerializer(StateSerializer<?> keySerializer, String where) {
        Class<?> type = declaredType(keySerializer);
        if (type != null) {
            checkKeyClass(type, where);
        }
    }

    /**
     * Checks one key class.
     *
     * @param where who uses the key (an operator name), for the message
     * @throws ConfigurationException naming the key type and why its hash is not stable
     */
    public static void checkKeyClass(Class<?> keyClass, String where) {
        String reason = VERDICTS.get(keyClass);
        if (!reason.isEmpty()) {
            throw new ConfigurationException("key type has no stable hashCode, its keys would move to other key groups"
                    + " after a restart: keyType=" + keyClass.getTypeName() + ", reason=" + reason + ", where=" + where
                    + "; key by a String, a number or a record of those (an enum by its name())");
        }
    }

    /** Why {@code type}'s hash differs between JVMs, or {@code null} when it is stable or cannot be told. */
    static String unstableReason(Class<?> type) {
        if (type.isArray()) {
            return "array (identity hashCode)";
        }
        if (type.isEnum()
                || (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
            return "enum (Enum.hashCode is identity based)";
        }
        if (type.isPrimitive() || type.isInterface() || type == Object.class) {
            return null;
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                String nested = unstableReason(component.getType());
                if (nested != null) {
                    return "record component '" + component.getName() + "' of type "
                            + component.getType().getTypeName() + ": " + nested;
                }
            }
            return null;
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            return null;
        }
        return inheritsObjectHashCode(type) ? "class does not override hashCode (identity hashCode)" : null;
    }

    private static boolean inheritsObjectHashCode(Class<?> type) {
        try {
            return type.getMethod("hashCode").getDeclaringClass() == Object.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("every class has hashCode: " + type.getName(), e);
        }
    }

    private static Class<?> declaredType(StateSerializer<?> keySerializer) {
        if (keySerializer instanceof EnumSerializer<?> enums) {
            return enums.enumClass();
        }
        if (keySerializer instanceof BytesSerializer) {
            return byte[].class;
        }
        if (keySerializer instanceof RecordSerializer<?> records) {
            return records.recordClass();
        }
        return null;
    }
}

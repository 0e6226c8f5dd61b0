package io.tidemark.serialization;

/**
 * The answer of an old {@link SerializerSnapshot} about a new serializer.
 *
 * @param result what the restore must do
 * @param reason why, for {@link Result#INCOMPATIBLE} and {@link Result#COMPATIBLE_AFTER_MIGRATION}; empty otherwise
 */
public record SchemaCompatibility(Result result, String reason) {
    /** What a restore does with state written under the old schema. */
    public enum Result {
        /** The new serializer reads the old bytes unchanged. */
        COMPATIBLE_AS_IS,
        /** The state is rewritten: read with the old serializer, written with the new one. */
        COMPATIBLE_AFTER_MIGRATION,
        /** The state cannot be carried over; restore fails with {@link io.tidemark.IncompatibleStateException}. */
        INCOMPATIBLE
    }

    private static final SchemaCompatibility AS_IS = new SchemaCompatibility(Result.COMPATIBLE_AS_IS, "");

    public static SchemaCompatibility compatibleAsIs() {
        return AS_IS;
    }

    public static SchemaCompatibility compatibleAfterMigration(String reason) {
        return new SchemaCompatibility(Result.COMPATIBLE_AFTER_MIGRATION, reason);
    }

    public static SchemaCompatibility incompatible(String reason) {
        return new SchemaCompatibility(Result.INCOMPATIBLE, reason);
    }

    public boolean isCompatibleAsIs() {
        return result == Result.COMPATIBLE_AS_IS;
    }

    public boolean isAfterMigration() {
        return result == Result.COMPATIBLE_AFTER_MIGRATION;
    }

    public boolean isIncompatible() {
        return result == Result.INCOMPATIBLE;
    }
}

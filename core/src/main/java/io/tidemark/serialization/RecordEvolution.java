package io.tidemark.serialization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a record written as an old {@link RecordSnapshot} maps onto a current {@link RecordSerializer}. Fields are
 * matched by name, never by position:
 *
 * <ul>
 *   <li>a field in both, whose nested snapshot answers as is: read as is;
 *   <li>a field in both whose nested snapshot needs migration (an evolved nested record, enum, list...): migration;
 *   <li>a primitive field that became its nullable box ({@code long -> Long}): migration;
 *   <li>a field only in the old record: migration, its bytes are skipped;
 *   <li>a field only in the new record: migration, it gets its type's default (0, false or null);
 *   <li>fields in another order: migration;
 *   <li>a field whose type changed (nested answer incompatible), or a nullable field that became primitive (stored
 *       nulls have no value): incompatible, naming the field and both types.
 * </ul>
 *
 * Cold path; computed on restore.
 */
final class RecordEvolution {
    private static final int DROPPED = -1;

    private final SchemaCompatibility compatibility;
    private final int[] targetIndex;
    private final boolean[] readAsIs;

    private RecordEvolution(SchemaCompatibility compatibility, int[] targetIndex, boolean[] readAsIs) {
        this.compatibility = compatibility;
        this.targetIndex = targetIndex;
        this.readAsIs = readAsIs;
    }

    static RecordEvolution plan(RecordSnapshot<?> old, RecordSerializer<?> next) {
        List<RecordSnapshot.Field> oldFields = old.fields();
        Map<String, Integer> nextIndex = new HashMap<>();
        for (int j = 0; j < next.fieldCount(); j++) {
            nextIndex.put(next.fieldName(j), j);
        }
        int[] targetIndex = new int[oldFields.size()];
        boolean[] readAsIs = new boolean[oldFields.size()];
        boolean[] filled = new boolean[next.fieldCount()];
        List<String> refused = new ArrayList<>();
        List<String> migrated = new ArrayList<>();
        int lastTarget = DROPPED;
        boolean reordered = false;
        for (int i = 0; i < oldFields.size(); i++) {
            RecordSnapshot.Field field = oldFields.get(i);
            Integer j = nextIndex.get(field.name());
            if (j == null) {
                targetIndex[i] = DROPPED;
                migrated.add("field '" + field.name() + "' removed");
                continue;
            }
            targetIndex[i] = j;
            filled[j] = true;
            reordered |= j < lastTarget;
            lastTarget = j;
            readAsIs[i] = compareField(field, next, j, refused, migrated);
        }
        for (int j = 0; j < filled.length; j++) {
            if (!filled[j]) {
                migrated.add("field '" + next.fieldName(j) + "' added (default " + next.fieldDefault(j) + ")");
            }
        }
        if (reordered) {
            migrated.add("fields reordered: old=" + old.fieldNames() + ", new=" + nextNames(next));
        }
        return new RecordEvolution(compatibilityOf(refused, migrated), targetIndex, readAsIs);
    }

    /** Compares one field present in both versions; returns whether the current serializer reads it unchanged. */
    private static boolean compareField(
            RecordSnapshot.Field field, RecordSerializer<?> next, int j, List<String> refused, List<String> migrated) {
        SchemaCompatibility nested = NestedSnapshots.resolve(field.snapshot(), next.fieldSerializer(j));
        String changedType =
                "field '" + field.name() + "' changed type: " + field.typeName() + " -> " + typeName(next, j);
        if (nested.isIncompatible()) {
            refused.add(
                    nested.reason().startsWith("changed type:")
                            ? changedType
                            : NestedSnapshots.inField(field.name(), nested.reason()));
            return false;
        }
        if (!field.primitive() && next.fieldPrimitive(j)) {
            refused.add(changedType + " (stored nulls have no primitive value)");
            return false;
        }
        if (field.primitive() != next.fieldPrimitive(j)) {
            migrated.add(
                    "field '" + field.name() + "' became nullable: " + field.typeName() + " -> " + typeName(next, j));
        }
        if (nested.isAfterMigration()) {
            migrated.add(NestedSnapshots.inField(field.name(), nested.reason()));
        }
        return nested.isCompatibleAsIs() && field.primitive() == next.fieldPrimitive(j);
    }

    SchemaCompatibility compatibility() {
        return compatibility;
    }

    /** Where old field {@code i} goes in the current record, or a negative number when it was removed. */
    int targetIndex(int oldIndex) {
        return targetIndex[oldIndex];
    }

    boolean dropped(int oldIndex) {
        return targetIndex[oldIndex] == DROPPED;
    }

    /** Whether the current field serializer reads the old field's bytes unchanged. */
    boolean readAsIs(int oldIndex) {
        return readAsIs[oldIndex];
    }

    /** A renamed record class changes no bytes, so it is not a reason; {@link RecordSnapshot#describe()} names it. */
    private static SchemaCompatibility compatibilityOf(List<String> refused, List<String> migrated) {
        if (!refused.isEmpty()) {
            return SchemaCompatibility.incompatible(String.join(NestedSnapshots.SEPARATOR, refused));
        }
        if (!migrated.isEmpty()) {
            return SchemaCompatibility.compatibleAfterMigration(String.join(NestedSnapshots.SEPARATOR, migrated));
        }
        return SchemaCompatibility.compatibleAsIs();
    }

    private static String typeName(RecordSerializer<?> next, int index) {
        return new RecordSnapshot.Field(
                        next.fieldName(index),
                        next.fieldPrimitive(index),
                        next.fieldSerializer(index).fixedLength(),
                        next.fieldSerializer(index).snapshot())
                .typeName();
    }

    private static List<String> nextNames(RecordSerializer<?> next) {
        List<String> names = new ArrayList<>(next.fieldCount());
        for (int j = 0; j < next.fieldCount(); j++) {
            names.add(next.fieldName(j));
        }
        return names;
    }
}

package io.tidemark.serialization;

import java.util.List;
import org.agrona.DirectBuffer;

/**
 * Reads records written under an old {@link RecordSnapshot} layout and builds instances of the current record class:
 * fields are mapped by name, removed fields are skipped, added fields get their type's default, and fields whose own
 * format changed are read by their old snapshot's restore serializer.
 *
 * @param <R> the current record type
 */
final class OldRecordReader<R extends Record> extends OldSchemaReader<R> {
    private final RecordSerializer<R> target;
    private final List<RecordSnapshot.Field> oldFields;
    private final RecordEvolution plan;
    private final StateSerializer<?>[] readers;
    private final Object[] defaults;
    private final int fixedLength;
    private final String owner;

    OldRecordReader(RecordSnapshot<R> old, RecordSerializer<R> target, RecordEvolution plan) {
        super(old);
        this.target = target;
        this.oldFields = old.fields();
        this.plan = plan;
        this.readers = new StateSerializer<?>[oldFields.size()];
        for (int i = 0; i < readers.length; i++) {
            if (!plan.dropped(i)) {
                readers[i] = plan.readAsIs(i)
                        ? target.fieldSerializer(plan.targetIndex(i))
                        : oldFields.get(i).snapshot().restoreSerializer();
            }
        }
        this.defaults = new Object[target.fieldCount()];
        for (int j = 0; j < defaults.length; j++) {
            defaults[j] = target.fieldDefault(j);
        }
        this.fixedLength = old.writtenFixedLength();
        this.owner = "old record " + old.className();
    }

    @Override
    public int fixedLength() {
        return fixedLength;
    }

    @Override
    public R read(DirectBuffer buffer, int offset, int length) {
        ReadCursor cursor = new ReadCursor(owner, buffer, offset, length);
        Object[] args = defaults.clone();
        for (int i = 0; i < readers.length; i++) {
            RecordSnapshot.Field field = oldFields.get(i);
            if (plan.dropped(i)) {
                RecordSerializer.skipField(cursor, field.primitive(), field.fixedLength());
            } else {
                args[plan.targetIndex(i)] =
                        RecordSerializer.readField(cursor, field.primitive(), field.fixedLength(), readers[i]);
            }
        }
        cursor.checkFullyConsumed();
        return target.construct(args);
    }
}

package io.tidemark.serialization;

import static io.tidemark.serialization.Evolution.decode;
import static io.tidemark.serialization.Evolution.encode;
import static io.tidemark.serialization.Evolution.persisted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.IncompatibleStateException;
import io.tidemark.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Evolution of enums, scalars, lists and maps, through persisted snapshots. */
class EnumAndScalarEvolutionTest {

    enum SideV1 {
        BUY,
        SELL
    }

    enum SideAdded {
        SHORT,
        BUY,
        COVER,
        SELL
    }

    enum SideReordered {
        SELL,
        BUY
    }

    enum SideMoved {
        BUY,
        SELL
    }

    enum SideRemoved {
        BUY
    }

    record PositionV1(String symbol, SideV1 side) {}

    record PositionV2(String symbol, SideAdded side) {}

    @Test
    void sameEnumIsReadAsIs() {
        EnumSerializer<SideV1> serializer = new EnumSerializer<>(SideV1.class);
        SerializerSnapshot<SideV1> old = persisted(serializer.snapshot());

        assertThat(old.resolveCompatibility(serializer).isCompatibleAsIs()).isTrue();
        assertThat(old.describe()).isEqualTo("enum " + SideV1.class.getName() + "{BUY, SELL}");
    }

    @Test
    void renamedEnumWithSameConstantsIsReadAsIs() {
        SerializerSnapshot<SideMoved> old = persisted(new EnumSerializer<>(SideV1.class).snapshot());

        assertThat(old.resolveCompatibility(new EnumSerializer<>(SideMoved.class))
                        .isCompatibleAsIs())
                .isTrue();
        assertThat(old.describe()).endsWith("{BUY, SELL} (renamed to " + SideMoved.class.getName() + ")");
    }

    @Test
    void addedConstantsMigrateByName() {
        byte[] sell = encode(new EnumSerializer<>(SideV1.class), SideV1.SELL);
        SerializerSnapshot<SideAdded> old = persisted(new EnumSerializer<>(SideV1.class).snapshot());
        EnumSerializer<SideAdded> current = new EnumSerializer<>(SideAdded.class);

        SchemaCompatibility compatibility = old.resolveCompatibility(current);

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason()).contains("old=[BUY, SELL], new=[SHORT, BUY, COVER, SELL]");
        assertThat(decode(SerializerSnapshots.readerFor("positions", "value", old, current), sell))
                .isEqualTo(SideAdded.SELL);
    }

    @Test
    void reorderedConstantsMigrateByName() {
        byte[] buy = encode(new EnumSerializer<>(SideV1.class), SideV1.BUY);
        SerializerSnapshot<SideReordered> old = persisted(new EnumSerializer<>(SideV1.class).snapshot());

        assertThat(old.resolveCompatibility(new EnumSerializer<>(SideReordered.class))
                        .isAfterMigration())
                .isTrue();
        assertThat(decode(old.restoreSerializer(), buy)).isEqualTo(SideReordered.BUY);
    }

    @Test
    void removedConstantIsRefusedByName() {
        SerializerSnapshot<SideRemoved> old = persisted(new EnumSerializer<>(SideV1.class).snapshot());
        EnumSerializer<SideRemoved> current = new EnumSerializer<>(SideRemoved.class);

        SchemaCompatibility compatibility = old.resolveCompatibility(current);

        assertThat(compatibility.isIncompatible()).isTrue();
        assertThat(compatibility.reason()).contains("removed constants [SELL]");
        assertThatThrownBy(() -> SerializerSnapshots.readerFor("positions", "value", old, current))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("SELL");
        assertThatThrownBy(old::restoreSerializer)
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("constant=SELL");
    }

    @Test
    void enumFieldOfRecordMigrates() {
        byte[] bytes = encode(Serializers.of(PositionV1.class), new PositionV1("ACME", SideV1.SELL));
        SerializerSnapshot<PositionV2> old =
                persisted(Serializers.of(PositionV1.class).snapshot());

        SchemaCompatibility compatibility = old.resolveCompatibility(Serializers.of(PositionV2.class));

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason()).startsWith("field 'side' enum ");
        assertThat(decode(old.restoreSerializer(), bytes)).isEqualTo(new PositionV2("ACME", SideAdded.SELL));
    }

    @Test
    void scalarsAreAsIsForTheSameKindOnly() {
        assertThat(persisted(StringSerializer.INSTANCE.snapshot())
                        .resolveCompatibility(cast(StringSerializer.INSTANCE))
                        .isCompatibleAsIs())
                .isTrue();
        SchemaCompatibility changed =
                persisted(LongSerializer.INSTANCE.snapshot()).resolveCompatibility(cast(IntSerializer.INSTANCE));
        assertThat(changed.isIncompatible()).isTrue();
        assertThat(changed.reason()).isEqualTo("changed type: long -> int");
        SchemaCompatibility bytes =
                persisted(BytesSerializer.INSTANCE.snapshot()).resolveCompatibility(cast(StringSerializer.INSTANCE));
        assertThat(bytes.reason()).isEqualTo("changed type: bytes -> string");
    }

    @Test
    void listAnswersWithItsElement() {
        SerializerSnapshot<List<Long>> old = persisted(new ListSerializer<>(LongSerializer.INSTANCE).snapshot());

        assertThat(old.resolveCompatibility(new ListSerializer<>(LongSerializer.INSTANCE))
                        .isCompatibleAsIs())
                .isTrue();
        SchemaCompatibility changed = old.resolveCompatibility(cast(new ListSerializer<>(DoubleSerializer.INSTANCE)));
        assertThat(changed.isIncompatible()).isTrue();
        assertThat(changed.reason()).isEqualTo("list element: changed type: long -> double");
        assertThat(old.describe()).isEqualTo("list<long>");
    }

    @Test
    void mapAnswersWithKeyAndValue() {
        MapSerializer<String, SideV1> v1 =
                new MapSerializer<>(StringSerializer.INSTANCE, new EnumSerializer<>(SideV1.class));
        byte[] bytes = encode(v1, Map.of("a", SideV1.SELL));
        SerializerSnapshot<Map<String, SideAdded>> old = persisted(v1.snapshot());
        MapSerializer<String, SideAdded> v2 =
                new MapSerializer<>(StringSerializer.INSTANCE, new EnumSerializer<>(SideAdded.class));

        SchemaCompatibility compatibility = old.resolveCompatibility(v2);

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason()).startsWith("map value: enum ");
        assertThat(decode(old.restoreSerializer(), bytes)).isEqualTo(Map.of("a", SideAdded.SELL));
        SchemaCompatibility keyChanged =
                old.resolveCompatibility(cast(new MapSerializer<>(LongSerializer.INSTANCE, v2.valueSerializer())));
        assertThat(keyChanged.isIncompatible()).isTrue();
        assertThat(keyChanged.reason()).isEqualTo("map key: changed type: string -> long");
    }

    @Test
    void newerSnapshotVersionIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(ScalarSnapshot.class.getName());
        out.writeInt(2);
        out.writeUTF("LONG");

        assertThatThrownBy(() -> SerializerSnapshots.read(
                        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                        getClass().getClassLoader()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("version=2");
    }

    @Test
    void unknownScalarKindIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(ScalarSnapshot.class.getName());
        out.writeInt(1);
        out.writeUTF("FLOAT128");

        assertThatThrownBy(() -> SerializerSnapshots.read(
                        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                        getClass().getClassLoader()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("kind=FLOAT128");
    }

    @SuppressWarnings("unchecked")
    private static <T> StateSerializer<T> cast(StateSerializer<?> serializer) {
        return (StateSerializer<T>) serializer;
    }
}

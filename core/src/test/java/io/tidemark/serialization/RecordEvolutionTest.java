package io.tidemark.serialization;

import static io.tidemark.serialization.Evolution.decode;
import static io.tidemark.serialization.Evolution.encode;
import static io.tidemark.serialization.Evolution.persisted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.IncompatibleStateException;
import io.tidemark.SerializationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Record schema evolution through the whole restore path: snapshot and values written under v1, snapshot persisted and
 * read back, compatibility resolved against the v2 serializer, old bytes read into v2. Versions of one record are
 * distinct nested classes here, so every test also exercises the renamed-class path; {@link SameNameEvolutionTest}
 * covers one class name compiled twice.
 */
class RecordEvolutionTest {

    enum Side {
        BUY,
        SELL
    }

    record TradeV1(long price, int qty) {}

    record TradeAdded(long price, int qty, String venue, boolean flagged, Long limit) {}

    record TradeRemoved(long price) {}

    record TradeWithNotes(String note, long price, List<String> tags, int qty) {}

    record TradeReordered(int qty, long price) {}

    record TradeRenamed(long price, int qty) {}

    record TradeDoublePrice(double price, int qty) {}

    record TradeBoxedQty(long price, Integer qty) {}

    record BoxedV1(Long price) {}

    record BoxedV2(long price) {}

    record OrderV1(String id, TradeV1 trade, Side side) {}

    record OrderV2(String id, TradeAdded trade, Side side) {}

    record OrderTypeChanged(String id, TradeDoublePrice trade, Side side) {}

    record BookV1(List<TradeV1> trades, Map<String, TradeV1> byVenue) {}

    record BookV2(List<TradeReordered> trades, Map<String, TradeReordered> byVenue) {}

    private final TradeV1 trade = new TradeV1(12_345L, 7);

    @Test
    void unchangedRecordIsReadAsIs() {
        RecordSerializer<TradeV1> serializer = new RecordSerializer<>(TradeV1.class);
        SerializerSnapshot<TradeV1> old = persisted(serializer.snapshot());

        assertThat(old.resolveCompatibility(serializer).isCompatibleAsIs()).isTrue();
        assertThat(SerializerSnapshots.readerFor("trades", "value", old, serializer))
                .isSameAs(serializer);
        assertThat(old.describe()).isEqualTo("record " + TradeV1.class.getName() + "(price: long, qty: int)");
    }

    @Test
    void addedFieldsGetTheirTypeDefaults() {
        byte[] bytes = encode(Serializers.of(TradeV1.class), trade);
        SerializerSnapshot<TradeAdded> old =
                persisted(Serializers.of(TradeV1.class).snapshot());
        StateSerializer<TradeAdded> current = Serializers.of(TradeAdded.class);

        SchemaCompatibility compatibility = old.resolveCompatibility(current);

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason())
                .contains("field 'venue' added (default null)")
                .contains("field 'flagged' added (default false)")
                .contains("field 'limit' added (default null)");
        StateSerializer<TradeAdded> reader = SerializerSnapshots.readerFor("trades", "value", old, current);
        assertThat(decode(reader, bytes)).isEqualTo(new TradeAdded(12_345L, 7, null, false, null));
    }

    @Test
    void removedFieldsAreSkipped() {
        byte[] bytes = encode(Serializers.of(TradeV1.class), trade);
        SerializerSnapshot<TradeRemoved> old =
                persisted(Serializers.of(TradeV1.class).snapshot());
        StateSerializer<TradeRemoved> current = Serializers.of(TradeRemoved.class);

        SchemaCompatibility compatibility = old.resolveCompatibility(current);

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason()).contains("field 'qty' removed");
        assertThat(decode(old.restoreSerializer(), bytes)).isEqualTo(new TradeRemoved(12_345L));
    }

    /** Regression: skipping a removed length-prefixed field lost the prefix and left 4 trailing bytes. */
    @Test
    void removedVariableLengthFieldsAreSkippedWithTheirPrefix() {
        TradeWithNotes old = new TradeWithNotes("late fill", 99L, List.of("a", "bc"), 3);
        byte[] bytes = encode(Serializers.of(TradeWithNotes.class), old);
        SerializerSnapshot<TradeRemoved> snapshot =
                persisted(Serializers.of(TradeWithNotes.class).snapshot());

        assertThat(snapshot.resolveCompatibility(Serializers.of(TradeRemoved.class))
                        .reason())
                .isEqualTo("field 'note' removed; field 'tags' removed; field 'qty' removed");
        assertThat(decode(snapshot.restoreSerializer(), bytes)).isEqualTo(new TradeRemoved(99L));
    }

    @Test
    void reorderedFieldsAreMappedByName() {
        byte[] bytes = encode(Serializers.of(TradeV1.class), trade);
        SerializerSnapshot<TradeReordered> old =
                persisted(Serializers.of(TradeV1.class).snapshot());

        SchemaCompatibility compatibility = old.resolveCompatibility(Serializers.of(TradeReordered.class));

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason()).contains("fields reordered: old=[price, qty], new=[qty, price]");
        assertThat(decode(old.restoreSerializer(), bytes)).isEqualTo(new TradeReordered(7, 12_345L));
    }

    @Test
    void renamedClassWithSameFieldsIsReadAsIsAndDescribedAsRenamed() {
        byte[] bytes = encode(Serializers.of(TradeV1.class), trade);
        SerializerSnapshot<TradeRenamed> old =
                persisted(Serializers.of(TradeV1.class).snapshot());
        StateSerializer<TradeRenamed> current = Serializers.of(TradeRenamed.class);

        assertThat(old.resolveCompatibility(current).isCompatibleAsIs()).isTrue();
        assertThat(old.describe())
                .isEqualTo("record " + TradeV1.class.getName() + "(price: long, qty: int) (renamed to "
                        + TradeRenamed.class.getName() + ")");
        assertThat(decode(SerializerSnapshots.readerFor("trades", "value", old, current), bytes))
                .isEqualTo(new TradeRenamed(12_345L, 7));
        assertThat(decode(old.restoreSerializer(), bytes)).isEqualTo(new TradeRenamed(12_345L, 7));
    }

    @Test
    void restoreWithoutResolveLoadsTheStoredClassName() {
        byte[] bytes = encode(Serializers.of(TradeV1.class), trade);
        SerializerSnapshot<TradeV1> old =
                persisted(Serializers.of(TradeV1.class).snapshot());

        assertThat(decode(old.restoreSerializer(), bytes)).isEqualTo(trade);
    }

    @Test
    void changedFieldTypeIsRefusedNamingFieldAndBothTypes() {
        SerializerSnapshot<TradeDoublePrice> old =
                persisted(Serializers.of(TradeV1.class).snapshot());
        StateSerializer<TradeDoublePrice> current = Serializers.of(TradeDoublePrice.class);

        SchemaCompatibility compatibility = old.resolveCompatibility(current);

        assertThat(compatibility.isIncompatible()).isTrue();
        assertThat(compatibility.reason()).contains("field 'price' changed type: long -> double");
        assertThatThrownBy(() -> SerializerSnapshots.readerFor("trades", "value", old, current))
                .isInstanceOf(IncompatibleStateException.class)
                .hasMessageContaining("state=trades")
                .hasMessageContaining("old=record " + TradeV1.class.getName() + "(price: long, qty: int)")
                .hasMessageContaining("new=record " + TradeDoublePrice.class.getName() + "(price: double, qty: int)")
                .hasMessageContaining("field 'price' changed type: long -> double");
        assertThatThrownBy(old::restoreSerializer).isInstanceOf(IncompatibleStateException.class);
    }

    @Test
    void primitiveFieldMayBecomeNullable() {
        byte[] bytes = encode(Serializers.of(TradeV1.class), trade);
        SerializerSnapshot<TradeBoxedQty> old =
                persisted(Serializers.of(TradeV1.class).snapshot());

        SchemaCompatibility compatibility = old.resolveCompatibility(Serializers.of(TradeBoxedQty.class));

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason()).contains("field 'qty' became nullable: int -> Integer");
        assertThat(decode(old.restoreSerializer(), bytes)).isEqualTo(new TradeBoxedQty(12_345L, 7));
    }

    @Test
    void nullableFieldMayNotBecomePrimitive() {
        SerializerSnapshot<BoxedV2> old =
                persisted(Serializers.of(BoxedV1.class).snapshot());

        SchemaCompatibility compatibility = old.resolveCompatibility(Serializers.of(BoxedV2.class));

        assertThat(compatibility.isIncompatible()).isTrue();
        assertThat(compatibility.reason())
                .contains("field 'price' changed type: Long -> long (stored nulls have no primitive value)");
    }

    @Test
    void nestedRecordEvolutionMigratesTheNestedRecord() {
        OrderV1 order = new OrderV1("o-1", trade, Side.SELL);
        byte[] bytes = encode(Serializers.of(OrderV1.class), order);
        SerializerSnapshot<OrderV2> old =
                persisted(Serializers.of(OrderV1.class).snapshot());

        SchemaCompatibility compatibility = old.resolveCompatibility(Serializers.of(OrderV2.class));

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason()).contains("field 'trade.venue' added (default null)");
        assertThat(decode(old.restoreSerializer(), bytes))
                .isEqualTo(new OrderV2("o-1", new TradeAdded(12_345L, 7, null, false, null), Side.SELL));
        OrderV1 withNullTrade = new OrderV1("o-2", null, Side.BUY);
        assertThat(decode(old.restoreSerializer(), encode(Serializers.of(OrderV1.class), withNullTrade)))
                .isEqualTo(new OrderV2("o-2", null, Side.BUY));
    }

    @Test
    void nestedTypeChangeIsRefusedWithItsPath() {
        SerializerSnapshot<OrderTypeChanged> old =
                persisted(Serializers.of(OrderV1.class).snapshot());

        SchemaCompatibility compatibility = old.resolveCompatibility(Serializers.of(OrderTypeChanged.class));

        assertThat(compatibility.isIncompatible()).isTrue();
        assertThat(compatibility.reason()).contains("field 'trade.price' changed type: long -> double");
    }

    @Test
    void listsAndMapsOfRecordsAreMigratedElementByElement() {
        BookV1 book = new BookV1(
                List.of(trade, new TradeV1(1L, 2)), Map.of("xnys", new TradeV1(3L, 4), "xlon", new TradeV1(5L, 6)));
        byte[] bytes = encode(Serializers.of(BookV1.class), book);
        SerializerSnapshot<BookV2> old = persisted(Serializers.of(BookV1.class).snapshot());

        SchemaCompatibility compatibility = old.resolveCompatibility(Serializers.of(BookV2.class));

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason())
                .contains("field 'trades' list element: fields reordered")
                .contains("field 'byVenue' map value: fields reordered");
        BookV2 migrated = decode(old.restoreSerializer(), bytes);
        assertThat(migrated.trades()).containsExactly(new TradeReordered(7, 12_345L), new TradeReordered(2, 1L));
        assertThat(migrated.byVenue())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("xnys", new TradeReordered(4, 3L), "xlon", new TradeReordered(6, 5L)));
    }

    @Test
    void topLevelListOfRecordsEvolves() {
        ListSerializer<TradeV1> v1 = new ListSerializer<>(Serializers.of(TradeV1.class));
        byte[] bytes = encode(v1, List.of(trade));
        SerializerSnapshot<List<TradeAdded>> old = persisted(v1.snapshot());
        ListSerializer<TradeAdded> current = new ListSerializer<>(Serializers.of(TradeAdded.class));

        StateSerializer<List<TradeAdded>> reader = SerializerSnapshots.readerFor("book", "value", old, current);

        assertThat(decode(reader, bytes)).containsExactly(new TradeAdded(12_345L, 7, null, false, null));
    }

    @Test
    void recordAgainstAnotherKindIsRefused() {
        SerializerSnapshot<Long> old = persisted(Serializers.of(TradeV1.class).snapshot());

        SchemaCompatibility compatibility = old.resolveCompatibility(LongSerializer.INSTANCE);

        assertThat(compatibility.isIncompatible()).isTrue();
        assertThat(compatibility.reason()).contains("changed type: record ").endsWith(" -> long");
    }

    @Test
    void restoreSerializersDoNotWrite() {
        SerializerSnapshot<TradeRemoved> old =
                persisted(Serializers.of(TradeV1.class).snapshot());
        old.resolveCompatibility(Serializers.of(TradeRemoved.class));

        assertThatThrownBy(() -> encode(old.restoreSerializer(), new TradeRemoved(1L)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingRecordClassWithoutResolveNamesTheClass() throws Exception {
        SerializerSnapshot<TradeV1> old =
                persisted(Serializers.of(TradeV1.class).snapshot());
        java.lang.reflect.Field className = RecordSnapshot.class.getDeclaredField("className");
        className.setAccessible(true);
        className.set(old, "com.example.Gone");

        assertThatThrownBy(old::restoreSerializer)
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("class=com.example.Gone");
    }
}

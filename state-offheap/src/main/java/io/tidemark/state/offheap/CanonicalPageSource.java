package io.tidemark.state.offheap;

import io.tidemark.backend.internal.RegisteredKeyedState;
import io.tidemark.backend.internal.SnapshotSource;
import io.tidemark.serialization.StateSerializer;
import java.util.List;

/**
 * The canonical snapshot's view of the state: entries decoded from the page snapshot taken at the synchronous part
 * (never the live pages), through the table directories captured at the same moment. Snapshot thread only.
 */
final class CanonicalPageSource implements SnapshotSource {
    private final SnapshotTicket ticket;
    private final CapturedTable[][] tables;
    private final List<RegisteredKeyedState> states;
    private final StateSerializer<Object> keySerializer;
    private final int firstKeyGroup;
    private final TableDecoder decoder;

    CanonicalPageSource(
            SnapshotTicket ticket,
            CapturedTable[][] tables,
            List<RegisteredKeyedState> states,
            StateSerializer<Object> keySerializer,
            int firstKeyGroup,
            int pageSize) {
        this.ticket = ticket;
        this.tables = tables;
        this.states = states;
        this.keySerializer = keySerializer;
        this.firstKeyGroup = firstKeyGroup;
        this.decoder = new TableDecoder(pageSize);
    }

    @Override
    public void forEachEntry(int stateIndex, int keyGroup, EntryConsumer consumer) {
        ticket.enter();
        if (stateIndex >= tables.length) {
            return;
        }
        final CapturedTable table = tables[stateIndex][keyGroup - firstKeyGroup];
        if (table == null) {
            return;
        }
        final RegisteredKeyedState state = states.get(stateIndex);
        final StateSerializer<Object> keys = keySerializer;
        final StateSerializer<Object> namespaces = state.namespaceSerializer().duplicate();
        final StateSerializer<Object> values = state.valueSerializer().duplicate();
        decoder.decode(
                table.layout(),
                table.keyLength(),
                table.namespaceLength(),
                table.valueLength(),
                table.kinds(),
                (logical, target) -> ticket.snapshot.readPage(table.pageIds()[logical], target, 0),
                (key, keyLength, namespace, namespaceLength, value, valueLength) -> consumer.accept(
                        keys.read(key, 0, keyLength),
                        namespaces.read(namespace, 0, namespaceLength),
                        values.read(value, 0, valueLength)));
    }

    @Override
    public void release() {
        ticket.finish(true, null);
    }
}

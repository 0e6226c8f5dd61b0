package io.tidemark.state.offheap;

import io.tidemark.backend.internal.RegisteredKeyedState;
import io.tidemark.backend.internal.SnapshotSource;
import io.tidemark.serialization.StateSerializer;
import java.util.List;

/**
 * The canonical snapshot's view of the state: entries decoded from the page snapshot taken at the synchronous part
 * (never the live pages), through the table directories captured at the same moment; log states through a
 * {@link LogCanonicalView} of the log below the marker the synchronous part set. Snapshot thread only.
 */
final class CanonicalPageSource implements SnapshotSource {
    private final SnapshotTicket ticket;
    private final CapturedTable[][] tables;
    private final List<RegisteredKeyedState> states;
    private final StateSerializer<Object> keySerializer;
    private final int firstKeyGroup;
    private final TableDecoder decoder;
    private final LogCanonicalView log;
    /** Per state index: its log state id, or -1 for fused tables. */
    private final int[] logStateIds;

    private final byte[] shapes;

    CanonicalPageSource(
            SnapshotTicket ticket,
            CapturedTable[][] tables,
            List<RegisteredKeyedState> states,
            StateSerializer<Object> keySerializer,
            int firstKeyGroup,
            int pageSize,
            LogCapture log,
            int keyGroups,
            int[] logStateIds,
            byte[] shapes) {
        this.ticket = ticket;
        this.tables = tables;
        this.states = states;
        this.keySerializer = keySerializer;
        this.firstKeyGroup = firstKeyGroup;
        this.decoder = new TableDecoder(pageSize);
        this.log = LogCanonicalView.of(ticket.snapshot, log, firstKeyGroup, keyGroups);
        this.logStateIds = logStateIds;
        this.shapes = shapes;
    }

    @Override
    public void forEachEntry(int stateIndex, int keyGroup, EntryConsumer consumer) {
        ticket.enter();
        if (stateIndex >= tables.length) {
            return;
        }
        if (logStateIds[stateIndex] >= 0) {
            final RegisteredKeyedState state = states.get(stateIndex);
            log.forEachEntry(
                    logStateIds[stateIndex],
                    shapes[stateIndex],
                    keyGroup,
                    keySerializer,
                    state.namespaceSerializer().duplicate(),
                    state.valueSerializer().duplicate(),
                    consumer);
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
        log.close();
        ticket.finish(true, null);
    }
}

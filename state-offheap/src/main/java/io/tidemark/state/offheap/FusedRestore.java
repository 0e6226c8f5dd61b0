package io.tidemark.state.offheap;

import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.SnapshotReader;
import io.tidemark.keygroup.KeyGroupRange;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Restores the fused tables of one {@value NativeSnapshotFormat#FORMAT_NAME} handle into a backend's page store, off
 * the JVM heap: for every table of a key group the backend owns, its stored pages are read and verified
 * ({@link StoredPages}), copied into newly allocated pages and checked, and a {@link FixedTable} is rebuilt over them
 * with the same logical layout ({@link RestoredFixedTable}). Tables are per (state, key group), so a restore at another
 * parallelism takes the tables of its key groups and nothing else. A checkpoint of another page size cannot be copied
 * page by page: its entries are then re-inserted into a new table, one slot at a time, still off the heap.
 *
 * <p><b>Threads and memory.</b> Owner thread, during restore. Holds one page-sized {@code byte[]} (and, for another
 * page size, one page of native memory) at a time; the tables' pages are the store's.
 *
 * <p><b>Errors.</b> {@link CorruptCheckpointException} naming the stream and offset of a page that does not read,
 * verify or check, or the handle's first stream for a table entry that does not describe a fused table. The pages of
 * the table that failed are freed; the caller discards the backend.
 */
final class FusedRestore {
    /** Receives one restored table of payload state {@code state}. */
    interface TableSink {
        void table(NativeSnapshotFormat.StateEntry state, NativeSnapshotFormat.TableEntry entry, FixedTable table);
    }

    private final PageAccess access;
    private final KeyGroupRange range;
    private final boolean longKeys;

    FusedRestore(PageAccess access, KeyGroupRange range, boolean longKeys) {
        this.access = access;
        this.range = range;
        this.longKeys = longKeys;
    }

    void restore(KeyedStateHandle handle, SnapshotReader reader, NativeSnapshotFormat.Payload payload, TableSink sink) {
        try (StoredPages stored = new StoredPages(handle, reader, payload.pageSize())) {
            for (NativeSnapshotFormat.TableEntry table : payload.tables()) {
                if (range.contains(table.keyGroup())) {
                    final NativeSnapshotFormat.StateEntry state =
                            payload.states().get(table.stateIndex());
                    sink.table(state, table, restoreTable(handle, stored, payload.pageSize(), state, table));
                }
            }
        }
    }

    private FixedTable restoreTable(
            KeyedStateHandle handle,
            StoredPages stored,
            int pageSize,
            NativeSnapshotFormat.StateEntry state,
            NativeSnapshotFormat.TableEntry table) {
        final FixedTable.Geometry geometry;
        int buckets = 0;
        try {
            if (table.layout() != StateTables.LAYOUT_FIXED || state.logStateId() >= 0) {
                throw new IllegalStateException(
                        "not a fused table: layout=" + table.layout() + ", logStateId=" + state.logStateId());
            }
            geometry = FixedTable.Geometry.checked(
                    pageSize, table.keyLength(), table.namespaceLength(), table.valueLength());
            for (NativeSnapshotFormat.PageEntry page : table.pages()) {
                if (page.kind() != TablePages.FIXED) {
                    throw new IllegalStateException("page kind of a fused table: " + page.kind());
                }
                buckets++;
            }
        } catch (IllegalStateException ex) {
            throw new CorruptCheckpointException(
                    "offheap snapshot fused table entry invalid",
                    firstStream(handle),
                    0,
                    "a fused table of FIXED pages",
                    "state=" + state.meta().name() + ", keyGroup=" + table.keyGroup() + ": " + ex.getMessage());
        }
        return pageSize == access.pageSize
                ? copied(handle, stored, geometry, table, buckets)
                : reinserted(stored, pageSize, geometry, table);
    }

    /** Same page size: every page copied as it is, the directory kept. */
    private FixedTable copied(
            KeyedStateHandle handle,
            StoredPages stored,
            FixedTable.Geometry geometry,
            NativeSnapshotFormat.TableEntry table,
            int buckets) {
        final RestoredFixedTable builder =
                new RestoredFixedTable(access, geometry, longKeys, table.logicalCount(), buckets);
        try {
            stored.forEach(table, (entry, file, bytes) -> {
                try {
                    builder.add(entry.logical(), bytes);
                } catch (IllegalStateException ex) {
                    throw invalidPage(file, entry.offset(), ex);
                }
            });
            try {
                return builder.finish();
            } catch (IllegalStateException ex) {
                throw invalidPage(firstStream(handle), 0, ex);
            }
        } catch (RuntimeException | Error ex) {
            builder.free();
            throw ex;
        }
    }

    /** Another page size: each entry of each stored page inserted into a new table of this store's geometry. */
    private FixedTable reinserted(
            StoredPages stored, int pageSize, FixedTable.Geometry geometry, NativeSnapshotFormat.TableEntry table) {
        final FixedTable target = new FixedTable(
                access,
                new TablePages(),
                FixedTable.Geometry.of(
                        access.pageSize, geometry.keyLength(), geometry.namespaceLength(), geometry.valueLength()),
                longKeys);
        final long page = UnsafeApi.allocateMemory(pageSize);
        final UnsafeBuffer key = new UnsafeBuffer(0, 0);
        final UnsafeBuffer namespace = new UnsafeBuffer(0, 0);
        try {
            stored.forEach(table, (entry, file, bytes) -> {
                UnsafeApi.copyMemory(bytes, BufferUtil.ARRAY_BASE_OFFSET, null, page, pageSize);
                try {
                    RestoredFixedTable.occupied(page, geometry);
                    for (int slot = 0; slot < geometry.slotsPerPage(); slot++) {
                        if (FixedTable.isOccupied(page, slot)) {
                            insert(target, geometry, page + geometry.slotOffset(slot), key, namespace);
                        }
                    }
                } catch (IllegalStateException ex) {
                    throw invalidPage(file, entry.offset(), ex);
                }
            });
            return target;
        } catch (RuntimeException | Error ex) {
            free(target.pages());
            throw ex;
        } finally {
            UnsafeApi.freeMemory(page);
        }
    }

    private void insert(
            FixedTable target, FixedTable.Geometry geometry, long slot, UnsafeBuffer key, UnsafeBuffer namespace) {
        final int keyLength = geometry.keyLength();
        final int namespaceLength = geometry.namespaceLength();
        final long hash = FixedTable.slotHash(slot, keyLength, namespaceLength, longKeys, access.view);
        key.wrap(slot, keyLength);
        namespace.wrap(slot + keyLength, namespaceLength);
        final long value = target.findForWrite(hash, longKeys ? UnsafeApi.getLong(slot) : 0, key, namespace);
        if (!target.inserted()) {
            throw new IllegalStateException("an entry stored twice");
        }
        UnsafeApi.copyMemory(slot + keyLength + namespaceLength, value, geometry.valueLength());
    }

    private void free(TablePages pages) {
        for (int logical = 0; logical < pages.size(); logical++) {
            if (pages.kind(logical) != TablePages.FREE) {
                access.store.freePage(pages.id(logical));
            }
        }
    }

    private static CorruptCheckpointException invalidPage(String file, long offset, IllegalStateException ex) {
        return new CorruptCheckpointException(
                "offheap snapshot fused page invalid", file, offset, "a consistent fused bucket page", ex.getMessage());
    }

    private static String firstStream(KeyedStateHandle handle) {
        return handle.streams().isEmpty()
                ? "<payload>"
                : handle.streams().get(0).name();
    }
}

package io.tidemark.state.offheap;

import io.tidemark.memory.PageCursor;
import io.tidemark.memory.PageStore;

/**
 * The page store of one backend with the cursors its tables share. Owner thread only: a table operation holds at most
 * two cursors at once ({@link #primary} for the page it works on, {@link #secondary} for a record or the page it copies
 * to), so two segments are pinned at most.
 */
final class PageAccess {
    final PageStore store;
    final int pageSize;
    final PageCursor primary = new PageCursor();
    final PageCursor secondary = new PageCursor();
    /** A view of raw page memory for serializer and copy calls; rewrapped by each use. */
    final FixedTable.AddressView view = new FixedTable.AddressView();

    PageAccess(PageStore store) {
        this.store = store;
        this.pageSize = store.pageSize();
    }
}

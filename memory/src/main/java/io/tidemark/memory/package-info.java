/**
 * Off-heap pages for Tidemark's state backends: fixed-size pages held in off-heap frames, a resident budget enforced
 * page by page (a clock evicts cold pages to sparse segment files and reads them back on access), page allocation
 * with stable ids, and copy-on-write snapshots by page epoch (several in flight, multi-version pages, a copy only for
 * pages a snapshot still has to read) with per-epoch dirty sets for incremental read sets. Knows nothing about what
 * the pages hold.
 *
 * <p>Entry points: {@link io.tidemark.memory.PageStoreContext} (configuration), {@link io.tidemark.memory.PageStore}
 * (owner thread: allocate, free, acquire, snapshots), {@link io.tidemark.memory.PageCursor} (a flyweight over one
 * held page) and {@link io.tidemark.memory.PageSnapshot} (one snapshot reader thread per snapshot). The binary layout
 * and the protocols are specified in {@code docs/spec/pages.md}.
 */
package io.tidemark.memory;

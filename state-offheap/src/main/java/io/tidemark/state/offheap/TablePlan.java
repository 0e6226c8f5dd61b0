package io.tidemark.state.offheap;

import io.tidemark.backend.snapshot.StreamHandle;

/**
 * What a native snapshot does with each stored page of one captured table: upload it (no reference) or reference the
 * stream, offset and checksum of a confirmed earlier upload. Decided by the snapshot thread.
 */
record TablePlan(CapturedTable table, StreamHandle[] references, long[] offsets, int[] checksums) {}

package io.tidemark.memory;

import static io.tidemark.memory.PageState.CHAIN_MASK;
import static io.tidemark.memory.PageState.VERSION;

import org.agrona.UnsafeApi;

/**
 * Version chains: side pages that preserve a page's content for the snapshots in flight, and retired pages (freed
 * while a snapshot that contains them is in flight). Both are given back by epoch: a side page made in epoch {@code c}
 * (the first write that superseded its content) and a page retired in epoch {@code c} can be reached only by snapshots
 * of epochs {@code < c}, so they go back to the free list once every snapshot in flight is of an epoch {@code >= c}.
 * Side pages are kept in a FIFO in creation order, so the one given back is always the oldest version of its chain
 * (its tail), and unlinking it is a walk of the chain from its head (a few links unless a snapshot stays in flight
 * for many epochs: it keeps every version made during its life).
 *
 * <p>Owner thread only. Allocates nothing once its queues have reached their size, except when taking a side page
 * makes the store grow or the frame pool add a chunk.
 */
final class PageVersions {
    private final PageAllocator pages;
    private final Residency residency;
    private final int pageSize;
    /** (epoch made, sidePage << 32 | livePage) in creation order. */
    private final EpochQueue sides = new EpochQueue();
    /** (epoch retired, page id) in retirement order. */
    private final EpochQueue retired = new EpochQueue();

    private long copies;

    PageVersions(PageAllocator pages, Residency residency, int pageSize) {
        this.pages = pages;
        this.residency = residency;
        this.pageSize = pageSize;
    }

    /**
     * Copies the live content of {@code pageId} (state word {@code word}, its frame at {@code liveAddress}, held by
     * the caller) to a new side page that takes over the page's chain, and returns the side page's id: the caller
     * links the live page to it.
     * The side page's word and bytes are written with plain and volatile stores; the caller's volatile store of the
     * live word publishes both to a reader that follows the new link.
     *
     * @throws io.tidemark.StorageSpaceException if the side page needs a frame and the write-back that would free one
     *     finds the disk full.
     */
    long preserve(long pageId, long word, long liveAddress, int currentEpoch) {
        final long side = pages.take();
        final Segment sideSegment = pages.ownerSegment(side);
        final int sideIndex = pages.indexOf(side);
        try {
            final long sideAddress = residency.fresh(sideSegment, sideIndex);
            UnsafeApi.copyMemory(liveAddress, sideAddress, pageSize);
        } catch (RuntimeException | Error ex) {
            pages.give(side); // no frame for the side page: nothing else changed
            throw ex;
        }
        sideSegment.lifetimes.set(sideIndex, 0L); // never in a snapshot's page list
        sideSegment.states.set(sideIndex, PageState.word(PageState.epoch(word), VERSION | (word & CHAIN_MASK)));
        sides.push(currentEpoch, (side << 32) | pageId);
        copies++;
        return side;
    }

    /** Remembers a page retired in {@code currentEpoch}. */
    void retire(long pageId, int currentEpoch) {
        retired.push(currentEpoch, pageId);
    }

    /** Gives back side pages made and pages retired in epochs {@code <= epoch}: no snapshot in flight reaches them. */
    void collectThrough(int epoch) {
        while (!sides.isEmpty() && sides.headEpoch() <= epoch) {
            final long entry = sides.pop();
            final long side = entry >>> 32;
            unlink(entry & 0xFFFF_FFFFL, side);
            pages.give(side);
        }
        while (!retired.isEmpty() && retired.headEpoch() <= epoch) {
            pages.give(retired.pop());
        }
    }

    /**
     * Cuts the link to {@code side}, the tail of {@code live}'s chain. If the live page has been given back (and
     * maybe reused) since, its word no longer leads to {@code side} and nothing is cut.
     */
    private void unlink(long live, long side) {
        long holder = live;
        long word = wordOf(live);
        if ((word & VERSION) != 0) {
            return; // the id now holds a version of another page: its old chain is gone
        }
        while (PageState.hasOlder(word)) {
            final long next = PageState.older(word);
            if (next == side) {
                // Volatile store; the epoch bits are unchanged, so a reader's re-check of this word still passes.
                pages.ownerSegment(holder).states.set(pages.indexOf(holder), PageState.withoutOlder(word));
                return;
            }
            holder = next;
            word = wordOf(next);
        }
    }

    private long wordOf(long pageId) {
        return pages.ownerSegment(pageId).states.get(pages.indexOf(pageId));
    }

    /** Side pages held now. */
    int sidePages() {
        return sides.size();
    }

    /** Retired pages held now. */
    int retiredPages() {
        return retired.size();
    }

    /** Pages copied to side pages since open. */
    long copies() {
        return copies;
    }
}

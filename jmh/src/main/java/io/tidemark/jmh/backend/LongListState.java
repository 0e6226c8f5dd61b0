package io.tidemark.jmh.backend;

import java.util.List;

/** A list state of longs per key. {@code key} is a key index. */
public interface LongListState {
    void add(int key, long value) throws Exception;

    /** Replaces the whole list. */
    void update(int key, List<Long> values) throws Exception;

    /** Reads the list and visits every element; returns their sum so nothing is left unread. */
    long sum(int key) throws Exception;
}

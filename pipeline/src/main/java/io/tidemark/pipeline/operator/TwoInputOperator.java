package io.tidemark.pipeline.operator;

/**
 * An operator with two inputs of different types ({@code connect}): the records of the first input arrive at {@link
 * #processRecord}, those of the second at {@link #processRecord2}. Watermarks (the minimum over both inputs),
 * barriers (aligned over both with exactly-once) and end of input are the runtime's, as for any operator with several
 * input channels. Operator thread only.
 */
public interface TwoInputOperator extends StreamOperator {
    /** A record of the second input, with its timestamp ({@link Long#MIN_VALUE} when it has none). */
    void processRecord2(Object record, long timestamp) throws Exception;

    /**
     * A hint that {@code record} of the second input is about to be processed ({@link #prefetch} is the first
     * input's); called only when {@link #prefetches()}. Must not change anything. This default does nothing.
     */
    default void prefetch2(Object record) {}
}

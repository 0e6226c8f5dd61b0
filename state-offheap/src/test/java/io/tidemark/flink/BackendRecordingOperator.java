package io.tidemark.flink;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Flink's keyed process operator that reports the class of the keyed state backend it runs on, so a test proves
 * which backend a configuration selected instead of assuming it.
 */
final class BackendRecordingOperator<K, I, O> extends KeyedProcessOperator<K, I, O> {
    private static final long serialVersionUID = 1L;

    private final String runId;

    BackendRecordingOperator(KeyedProcessFunction<K, I, O> function, String runId) {
        super(function);
        this.runId = runId;
    }

    @Override
    public void open() throws Exception {
        super.open();
        RunReports.of(runId).keyedBackends.add(getKeyedStateBackend().getClass().getName());
    }
}

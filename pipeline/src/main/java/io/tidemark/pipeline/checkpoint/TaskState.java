package io.tidemark.pipeline.checkpoint;

import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;

/**
 * What one operator instance contributed to a checkpoint.
 *
 * @param operator the operator's stable name
 * @param subtask the instance index
 * @param parallelism the operator's parallelism when the checkpoint was taken
 * @param keyed the keyed state handle, or {@code null} for operators without keyed state
 * @param operatorState the operator state handle
 */
public record TaskState(
        String operator, int subtask, int parallelism, KeyedStateHandle keyed, OperatorStateHandle operatorState) {}

package io.tidemark.backend.snapshot;

/**
 * The result of one operator state backend's snapshot: one stream in the operator-state format (see
 * {@link io.tidemark.backend.operator.OperatorStateFormat}).
 */
public record OperatorStateHandle(StreamHandle stream) {}

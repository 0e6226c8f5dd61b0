package io.tidemark.pipeline;

/** How barriers are handled at operators with several inputs. */
public enum CheckpointingMode {
    /** Block an input that delivered barrier n until every input did (alignment). */
    EXACTLY_ONCE,
    /** Keep processing every input; snapshot once the last barrier n arrives. Replays may duplicate. */
    AT_LEAST_ONCE
}

package io.tidemark.jmh.checkpoint;

/**
 * The cost of one checkpoint. {@code bytesWritten} counts the files that appeared under the checkpoint root during
 * the checkpoint (data files and metadata; files of earlier checkpoints that an incremental one references are not
 * written again and not counted).
 */
record CheckpointSample(long syncNanos, long asyncNanos, long completeNanos, long bytesWritten) {}

package io.tidemark.pipeline.connectors;

/** What a source does with a record that does not parse (docs/reliability.md P9). */
public enum ErrorPolicy {
    /** Drop it and count it. */
    SKIP,
    /** Write it with the reason to the dead-letter file (exactly once, like any sink); the default. */
    DEAD_LETTER,
    /** Fail the pipeline with an error naming the record and the reason. */
    FAIL
}

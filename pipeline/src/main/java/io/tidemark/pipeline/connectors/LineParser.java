package io.tidemark.pipeline.connectors;

/** Decodes one input line. Source thread only. */
@FunctionalInterface
public interface LineParser<T> {
    /** @throws MalformedRecordException with the reason when the line is not a valid record */
    T parse(String line);
}

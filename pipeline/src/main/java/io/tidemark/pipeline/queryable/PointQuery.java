package io.tidemark.pipeline.queryable;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * One point query in flight from an HTTP thread to an operator thread. The operator thread completes it with a copy of
 * the value taken while it owned the backend, so the HTTP thread never reads live state.
 */
public final class PointQuery {
    /** How a query ended. */
    public sealed interface Outcome {
        /** {@code value} is a JSON tree built on the operator thread, detached from live state. */
        record Found(JsonNode value) implements Outcome {}

        record Absent() implements Outcome {}

        record NotQueryable() implements Outcome {}

        record Unavailable(String reason) implements Outcome {}

        record Failed(String message) implements Outcome {}
    }

    private final String stateName;
    private final Object key;
    private final CompletableFuture<Outcome> result = new CompletableFuture<>();

    /** A query of {@code key} in the state named {@code stateName}; submit it with {@link QueryTarget#submit}. */
    public PointQuery(String stateName, Object key) {
        this.stateName = stateName;
        this.key = key;
    }

    /** The queried state's name. */
    public String stateName() {
        return stateName;
    }

    /** The queried key. */
    public Object key() {
        return key;
    }

    /** Completed by the operator thread (or by the target when it stops serving); never exceptionally. */
    public CompletableFuture<Outcome> result() {
        return result;
    }

    void answer(JsonNode detachedValue) {
        result.complete(detachedValue == null ? new Outcome.Absent() : new Outcome.Found(detachedValue));
    }

    void notQueryable() {
        result.complete(new Outcome.NotQueryable());
    }

    void unavailable(String reason) {
        result.complete(new Outcome.Unavailable(reason));
    }

    void failed(RuntimeException e) {
        result.complete(new Outcome.Failed(e.toString()));
    }
}

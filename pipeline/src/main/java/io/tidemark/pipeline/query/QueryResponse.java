package io.tidemark.pipeline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.pipeline.queryable.QueryJson;

/**
 * An answer of the query endpoint: HTTP status, JSON body and, for reads at a checkpoint, the checkpoint id.
 *
 * @param checkpointId the checkpoint a value was read from, or -1 for live reads
 */
public record QueryResponse(int status, JsonNode body, long checkpointId) {
    static QueryResponse ok(JsonNode body) {
        return new QueryResponse(200, body, -1);
    }

    static QueryResponse error(int status, String error, String message) {
        ObjectNode body = QueryJson.MAPPER.createObjectNode();
        body.put("error", error);
        body.put("message", message);
        return new QueryResponse(status, body, -1);
    }

    /** 404 {@code key_not_found}: the state exists, the key has no value (the CLI exits 3). */
    static QueryResponse keyNotFound(String message) {
        return error(404, "key_not_found", message);
    }

    /** 404 {@code state_not_found}: no queryable state of that name. */
    static QueryResponse stateNotFound(String message) {
        return error(404, "state_not_found", message);
    }

    static QueryResponse badRequest(String message) {
        return error(400, "bad_request", message);
    }

    static QueryResponse unavailable(String message) {
        return error(503, "unavailable", message);
    }
}

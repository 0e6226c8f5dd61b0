package io.tidemark.pipeline.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.pipeline.queryable.PointQuery;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.queryable.QueryTarget;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.state.StateDescriptor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Answers point queries over the queryable states of a running job. Live reads are routed to the instance owning the
 * key's key group and answered by its operator thread; reads {@code at=checkpoint} come from the latest completed
 * checkpoint through {@link CheckpointView}. Any thread.
 */
public final class QueryService {
    /** What is known about a queryable state, kept across restarts so checkpoint reads work while the job is down. */
    record StateInfo(
            String name, String operator, StateDescriptor<?, ?> descriptor, StateSerializer<Object> keySerializer) {}

    private final Supplier<List<QueryTarget>> targets;
    private final Supplier<List<QueryTarget>> declared;
    private final CheckpointView checkpoints;
    private final long timeoutMillis;
    private final Map<String, StateInfo> known = new ConcurrentHashMap<>();

    /**
     * @param targets the query targets of the running attempt, empty while none runs (starting, restoring, restarting,
     *     finished)
     * @param declared the query targets of the latest attempt built, kept after it ended: which states are queryable
     *     (and their key serializers), so that {@code /states} and reads at the final checkpoint keep answering after
     *     the input ended, even if nothing was queried while the job ran
     * @param checkpoints reads at the latest checkpoint, or {@code null} when the job has no checkpoint directory
     * @param timeoutMillis how long a live read waits for the operator thread before answering 503
     */
    public QueryService(
            Supplier<List<QueryTarget>> targets,
            Supplier<List<QueryTarget>> declared,
            CheckpointView checkpoints,
            long timeoutMillis) {
        this.targets = targets;
        this.declared = declared;
        this.checkpoints = checkpoints;
        this.timeoutMillis = timeoutMillis;
    }

    /** {@code GET /state/{name}/{key}}: the live value, answered by the owning operator thread. */
    public QueryResponse pointQuery(String stateName, String keyText) {
        List<QueryTarget> running = targets.get();
        learn();
        StateInfo info = known.get(stateName);
        if (info == null) {
            return QueryResponse.stateNotFound("no queryable state of that name: state=" + stateName);
        }
        Object key;
        try {
            key = KeyParser.parse(keyText, info.keySerializer());
        } catch (KeyParser.BadKeyException e) {
            return QueryResponse.badRequest(e.getMessage());
        }
        QueryTarget owner = null;
        for (QueryTarget t : running) {
            if (t.operator().equals(info.operator()) && t.owns(key)) {
                owner = t;
                break;
            }
        }
        if (owner == null) {
            return QueryResponse.unavailable(
                    "job not running (starting, restoring, restarting, or its input ended: ?at=checkpoint reads the last"
                            + " checkpoint): state=" + stateName);
        }
        PointQuery query = new PointQuery(stateName, key);
        owner.submit(query);
        return answer(query, stateName, keyText);
    }

    private QueryResponse answer(PointQuery query, String stateName, String keyText) {
        PointQuery.Outcome outcome;
        try {
            outcome = query.result().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return QueryResponse.unavailable("operator did not answer within " + timeoutMillis + " ms: state="
                    + stateName + " (busy, restoring or restarting)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return QueryResponse.unavailable("interrupted");
        } catch (ExecutionException e) {
            return QueryResponse.error(500, "internal", String.valueOf(e.getCause()));
        }
        if (outcome instanceof PointQuery.Outcome.Found f) {
            return QueryResponse.ok(f.value());
        }
        if (outcome instanceof PointQuery.Outcome.Absent) {
            return QueryResponse.keyNotFound("no value for key: state=" + stateName + ", key=" + keyText);
        }
        if (outcome instanceof PointQuery.Outcome.Unavailable u) {
            return QueryResponse.unavailable(u.reason());
        }
        if (outcome instanceof PointQuery.Outcome.NotQueryable) {
            return QueryResponse.stateNotFound("no queryable state of that name: state=" + stateName);
        }
        return QueryResponse.error(500, "internal", ((PointQuery.Outcome.Failed) outcome).message());
    }

    /** {@code GET /state/{name}/{key}?at=checkpoint}: the value in the latest completed checkpoint. */
    public QueryResponse checkpointQuery(String stateName, String keyText) {
        learn();
        StateInfo info = known.get(stateName);
        if (info == null) {
            return QueryResponse.stateNotFound("no queryable state of that name: state=" + stateName);
        }
        Object key;
        try {
            key = KeyParser.parse(keyText, info.keySerializer());
        } catch (KeyParser.BadKeyException e) {
            return QueryResponse.badRequest(e.getMessage());
        }
        if (checkpoints == null) {
            return QueryResponse.unavailable("no checkpoint directory");
        }
        return checkpoints.read(info, key, keyText);
    }

    /** {@code GET /states}: the queryable states, their operators, key and value types. */
    public QueryResponse states() {
        learn();
        ArrayNode list = QueryJson.MAPPER.createArrayNode();
        known.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(info -> {
            ObjectNode s = list.addObject();
            s.put("name", info.name());
            s.put("operator", info.operator());
            s.put("state", info.descriptor().name());
            s.put("kind", info.descriptor().type().name());
            s.put("key_type", KeyParser.typeName(info.keySerializer()));
            s.put("value_type", info.descriptor().serializer().toString());
        });
        ObjectNode body = QueryJson.MAPPER.createObjectNode();
        body.put("running", !targets.get().isEmpty());
        body.set("states", list);
        return QueryResponse.ok(body);
    }

    private void learn() {
        for (QueryTarget t : declared.get()) {
            for (Map.Entry<String, StateDescriptor<?, ?>> e :
                    t.queryableStates().entrySet()) {
                known.computeIfAbsent(
                        e.getKey(),
                        n -> new StateInfo(
                                n, t.operator(), e.getValue(), t.backend().keySerializer()));
            }
        }
    }
}

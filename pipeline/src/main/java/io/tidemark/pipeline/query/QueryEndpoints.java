package io.tidemark.pipeline.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.tidemark.backend.StateBackendFactory;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.runtime.CheckpointHistory;
import io.tidemark.pipeline.runtime.JobRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The read side of a job's HTTP port: {@code GET /state/{name}/{key}[?at=checkpoint|live]}, {@code GET /states},
 * {@code GET /checkpoints}, {@code GET /metrics}, {@code GET /health}. Registered on the launcher's control server,
 * which serves {@code POST /savepoint} and {@code POST /stop}. Answers are JSON; {@code /metrics} answers the job's
 * Prometheus registry ({@link io.tidemark.pipeline.metrics.JobMetrics#registry()}) in the format the
 * {@code Accept} header asks for (Prometheus text 0.0.4 by default, OpenMetrics text on request), written by the
 * Prometheus client library. Errors are {@code {"error": code, "message": text}} with 400, 404, 405, 503 or 500.
 * Handlers run on the server's threads.
 */
public final class QueryEndpoints {
    /** How long a live read waits for the owning operator thread. */
    public static final long QUERY_TIMEOUT_MILLIS = 2_000;

    private final QueryService service;
    private final JobRunner runner;
    private final QueryStats stats = new QueryStats();
    private final ExpositionFormats formats = ExpositionFormats.init();

    private QueryEndpoints(QueryService service, JobRunner runner) {
        this.service = service;
        this.runner = runner;
    }

    /**
     * Creates an HTTP server with TCP_NODELAY: the JDK server writes headers and body separately, and with Nagle's
     * algorithm a small answer waits for the client's delayed ACK (about 40 ms per request on Linux).
     */
    public static HttpServer createServer(InetSocketAddress address) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        return HttpServer.create(address, 0);
    }

    /** Registers the endpoints on {@code server} for the job {@code runner} runs, without a token check. */
    public static QueryService register(HttpServer server, JobRunner runner) {
        return register(server, runner, null);
    }

    /**
     * Registers the endpoints on {@code server} for the job {@code runner} runs, and the query metric families on the
     * job's registry. Call before the server starts, once per job.
     *
     * @param token checked on every request to these endpoints ({@link BearerTokenFilter}); {@code null}: none
     */
    public static QueryService register(HttpServer server, JobRunner runner, AuthToken token) {
        QueryService service = new QueryService(
                runner::queryTargets,
                runner::declaredQueryTargets,
                new CheckpointView(
                        runner::latestCheckpoint,
                        () -> StateBackendFactory.create(
                                runner.config().backend(), runner.config().memoryBytes()),
                        runner.config().stateDirectory().resolve("query-view")),
                QUERY_TIMEOUT_MILLIS);
        QueryEndpoints endpoints = new QueryEndpoints(service, runner);
        endpoints.stats.register(runner.metrics().registry());
        BearerTokenFilter.guard(server.createContext("/state/", endpoints::state), token);
        BearerTokenFilter.guard(server.createContext("/states", endpoints::states), token);
        BearerTokenFilter.guard(server.createContext("/checkpoints", endpoints::checkpoints), token);
        BearerTokenFilter.guard(server.createContext("/health", endpoints::health), token);
        BearerTokenFilter.guard(server.createContext("/metrics", endpoints::metrics), token);
        return service;
    }

    private void state(HttpExchange exchange) throws IOException {
        if (!get(exchange)) {
            return;
        }
        long start = System.nanoTime();
        QueryResponse response = answerState(exchange);
        send(exchange, response);
        stats.record(response.status(), System.nanoTime() - start);
    }

    private void metrics(HttpExchange exchange) throws IOException {
        if (!get(exchange)) {
            return;
        }
        ExpositionFormatWriter writer =
                formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter(); // protobuf needs a module this build leaves out
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writer.write(body, runner.metrics().registry().scrape());
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        exchange.sendResponseHeaders(200, body.size());
        try (OutputStream out = exchange.getResponseBody()) {
            body.writeTo(out);
        }
    }

    private QueryResponse answerState(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawPath().substring("/state/".length());
        int slash = raw.indexOf('/');
        if (slash <= 0 || slash == raw.length() - 1) {
            return QueryResponse.badRequest("expected /state/{stateName}/{key}: path="
                    + exchange.getRequestURI().getRawPath());
        }
        String name = URLDecoder.decode(raw.substring(0, slash), StandardCharsets.UTF_8);
        String key = URLDecoder.decode(raw.substring(slash + 1), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || query.isEmpty() || query.equals("at=live")) {
            return service.pointQuery(name, key);
        }
        if (query.equals("at=checkpoint")) {
            return service.checkpointQuery(name, key);
        }
        return QueryResponse.badRequest("unknown query parameter: query=" + query + ", allowed=at=checkpoint, at=live");
    }

    private void states(HttpExchange exchange) throws IOException {
        if (get(exchange)) {
            send(exchange, service.states());
        }
    }

    private void checkpoints(HttpExchange exchange) throws IOException {
        if (!get(exchange)) {
            return;
        }
        ArrayNode list = QueryJson.MAPPER.createArrayNode();
        for (CheckpointHistory.Entry c : runner.checkpointHistory().entries()) {
            ObjectNode n = list.addObject();
            n.put("id", c.id());
            n.put("status", c.status());
            if (c.reason() != null) {
                n.put("reason", c.reason());
            } else {
                n.put("duration_ms", c.durationMillis());
                n.put("sync_pause_us", c.syncPauseMicros());
                n.put("bytes", c.bytes());
                if (c.incrementalBytes() >= 0) {
                    n.put("incremental_bytes", c.incrementalBytes());
                } else {
                    n.putNull("incremental_bytes");
                }
            }
        }
        ObjectNode body = QueryJson.MAPPER.createObjectNode();
        body.set("checkpoints", list);
        send(exchange, QueryResponse.ok(body));
    }

    private void health(HttpExchange exchange) throws IOException {
        if (!get(exchange)) {
            return;
        }
        boolean running = runner.isRunning();
        ObjectNode body = QueryJson.MAPPER.createObjectNode();
        body.put("status", running ? "running" : "not_running");
        body.put("restarts", runner.metrics().restarts());
        body.put("completed_checkpoints", runner.metrics().getCompletedCheckpoints());
        body.put("last_checkpoint", runner.metrics().getLastCheckpointId());
        send(exchange, QueryResponse.ok(body));
    }

    private static boolean get(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("GET")) {
            return true;
        }
        send(
                exchange,
                QueryResponse.error(405, "method_not_allowed", "use GET: method=" + exchange.getRequestMethod()));
        return false;
    }

    static void send(HttpExchange exchange, QueryResponse response) throws IOException {
        byte[] bytes = QueryJson.MAPPER.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (response.checkpointId() >= 0) {
            exchange.getResponseHeaders().set("X-Tidemark-Checkpoint", Long.toString(response.checkpointId()));
        }
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

package io.tidemark.pipeline.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.query.AuthToken;
import io.tidemark.pipeline.query.BearerTokenFilter;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.runtime.JobRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The web status page of a control port. {@code GET /} answers the page, {@code GET /status.js} and
 * {@code GET /status.css} its script and style sheet (resources of this package, read once from the jar; the page
 * loads nothing from elsewhere); any other path under {@code /} that no other endpoint serves answers 404.
 * {@code GET /status.json} answers the figures the page draws ({@link StatusJson}), refreshed by the page every
 * second.
 *
 * <p>Token: {@code /status.json} is guarded like every other endpoint. The page's own files hold no job data and are
 * served without the token, so that a browser can open the page; the page then asks for the token and sends it as
 * {@code Authorization: Bearer} with its requests.
 *
 * <p>Threads: handlers run on the HTTP server's threads; samples are taken by the {@link StatusSampler}'s own thread,
 * which {@link #close()} stops.
 */
public final class StatusPage implements AutoCloseable {
    /** How often the sampler looks at the job. */
    public static final long SAMPLE_PERIOD_MILLIS = 1_000;

    /** Samples kept: the charts show the last two minutes. */
    public static final int SAMPLES_KEPT = 120;

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/status.js", "status.js",
            "/status.css", "status.css");
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "status.js", "text/javascript; charset=utf-8",
            "status.css", "text/css; charset=utf-8");

    private final StatusSampler sampler;
    private final StatusJson json;
    private final Map<String, byte[]> files;

    private StatusPage(StatusSampler sampler, StatusJson json, Map<String, byte[]> files) {
        this.sampler = sampler;
        this.json = json;
        this.files = files;
    }

    /**
     * Registers {@code /} and {@code /status.json} on {@code server} and starts sampling {@code runner}'s job. Call
     * before the server starts, from one thread.
     *
     * @param plan the job's plan ({@code Pipeline.nodes()})
     * @param token checked on {@code /status.json} ({@link BearerTokenFilter}); {@code null}: none
     * @throws UncheckedIOException if the page's files are missing from the class path (a broken build)
     */
    public static StatusPage register(HttpServer server, JobRunner runner, List<PlanNode> plan, AuthToken token) {
        StatusSampler sampler = new StatusSampler(runner, plan, SAMPLES_KEPT, SAMPLE_PERIOD_MILLIS);
        StatusPage page = new StatusPage(sampler, new StatusJson(runner, plan, sampler), readFiles());
        server.createContext("/", page::file);
        BearerTokenFilter.guard(server.createContext("/status.json", page::status), token);
        sampler.start();
        return page;
    }

    private static Map<String, byte[]> readFiles() {
        return Map.of(
                "index.html", resource("index.html"),
                "status.js", resource("status.js"),
                "status.css", resource("status.css"));
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("status page resource missing from the class path: "
                        + StatusPage.class.getPackageName().replace('.', '/') + "/" + name));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read status page resource: name=" + name, e);
        }
    }

    private void file(HttpExchange exchange) throws IOException {
        String name = FILES.get(exchange.getRequestURI().getPath());
        if (name == null) {
            error(
                    exchange,
                    404,
                    "not_found",
                    "no such page: path=" + exchange.getRequestURI().getPath());
            return;
        }
        if (get(exchange)) {
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            send(exchange, TYPES.get(name), files.get(name));
        }
    }

    private void status(HttpExchange exchange) throws IOException {
        if (get(exchange)) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            send(exchange, "application/json", QueryJson.MAPPER.writeValueAsBytes(json.render()));
        }
    }

    private static boolean get(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("GET")) {
            return true;
        }
        error(exchange, 405, "method_not_allowed", "use GET: method=" + exchange.getRequestMethod());
        return false;
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        var body = QueryJson.MAPPER.createObjectNode().put("error", code).put("message", message);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] bytes = QueryJson.MAPPER.writeValueAsBytes(body);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void send(HttpExchange exchange, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops sampling; the handlers stay registered until the server stops. */
    @Override
    public void close() {
        sampler.close();
    }
}

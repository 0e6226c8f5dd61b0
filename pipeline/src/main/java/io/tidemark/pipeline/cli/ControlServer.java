package io.tidemark.pipeline.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.pipeline.query.AuthToken;
import io.tidemark.pipeline.query.BearerTokenFilter;
import io.tidemark.pipeline.query.QueryEndpoints;
import io.tidemark.pipeline.runtime.JobRunner;
import io.tidemark.pipeline.status.StatusPage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The job's control port, on the loopback interface unless {@code run --bind} names another (which needs a token,
 * {@code --auth-token-file}, checked on every request when set). {@code POST /savepoint[?target=DIR]} (default
 * {@code <state-dir>/savepoints}) answers the savepoint directory; {@code POST /stop[?savepoint=DIR]} stops the
 * job, after a terminating savepoint when asked; {@code GET /metrics} answers Prometheus text; {@code GET /} is the
 * web status page ({@link StatusPage}, figures at {@code GET /status.json}). Errors answer 409 (job not running) or 500
 * with the message.
 */
final class ControlServer implements AutoCloseable {
    private static final long SAVEPOINT_TIMEOUT_MINUTES = 5;

    private final HttpServer server;
    private final JobRunner runner;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private StatusPage statusPage;

    private ControlServer(HttpServer server, JobRunner runner) {
        this.server = server;
        this.runner = runner;
    }

    /**
     * The address {@code run --bind} asks for: loopback when {@code bind} is {@code null}. Anything else than a
     * loopback address (the wildcard {@code 0.0.0.0} included) needs a token: the port stops the job, takes savepoints
     * and reads state.
     *
     * @throws ConfigurationException if {@code bind} does not resolve, or is not loopback and {@code withToken} is false
     */
    static InetAddress bindAddress(String bind, boolean withToken) {
        if (bind == null) {
            return InetAddress.getLoopbackAddress();
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ConfigurationException("--bind address does not resolve: bind=" + bind, e);
        }
        if (!address.isLoopbackAddress() && !withToken) {
            throw new ConfigurationException("--bind to a non-loopback address needs --auth-token-file: bind=" + bind
                    + ", address=" + address.getHostAddress()
                    + "; anyone who reaches the port could stop the job, take savepoints and read state");
        }
        return address;
    }

    /**
     * Starts the control port.
     *
     * @param bind the interface to listen on ({@link #bindAddress})
     * @param plan the job's plan, drawn by the status page
     * @param token checked on every request ({@link BearerTokenFilter}); {@code null}: no check (loopback only)
     */
    static ControlServer start(InetAddress bind, int port, JobRunner runner, List<PlanNode> plan, AuthToken token)
            throws IOException {
        HttpServer server = QueryEndpoints.createServer(new InetSocketAddress(bind, port));
        ControlServer control = new ControlServer(server, runner);
        BearerTokenFilter.guard(server.createContext("/savepoint", control::savepoint), token);
        BearerTokenFilter.guard(server.createContext("/stop", control::stop), token);
        // also GET /metrics (Prometheus: the job's metrics, latency percentiles, query figures)
        QueryEndpoints.register(server, runner, token);
        control.statusPage = StatusPage.register(server, runner, plan, token);
        // several threads: a savepoint request (minutes at worst) must not hold up state queries
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tidemark-control");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return control;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Blocks until {@code /stop} was called. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void savepoint(HttpExchange exchange) throws IOException {
        String target = query(exchange).get("target");
        if (target == null) {
            target = runner.config().stateDirectory().resolve("savepoints").toString();
        }
        try {
            respond(exchange, 200, takeSavepoint(target, false));
        } catch (IllegalStateException e) {
            respond(exchange, 409, e.getMessage());
        } catch (RuntimeException e) {
            respond(exchange, 500, Launcher.describe(e));
        }
    }

    private void stop(HttpExchange exchange) throws IOException {
        String target = query(exchange).get("savepoint");
        try {
            String path = target == null ? null : takeSavepoint(target, true);
            runner.stop();
            // answer first: once released, the launcher closes this server and the answer would be lost
            try {
                respond(exchange, 200, path == null ? "stopped" : path);
            } finally {
                stopped.countDown();
            }
        } catch (IllegalStateException e) {
            respond(exchange, 409, e.getMessage());
        } catch (RuntimeException e) {
            respond(exchange, 500, Launcher.describe(e));
        }
    }

    private String takeSavepoint(String target, boolean terminate) {
        try {
            return runner.triggerSavepoint(Path.of(target).toAbsolutePath(), terminate)
                    .get(SAVEPOINT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(String.valueOf(cause), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("savepoint not complete after " + SAVEPOINT_TIMEOUT_MINUTES + " min", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> result = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    result.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return result;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        statusPage.close();
        server.stop(0);
    }
}

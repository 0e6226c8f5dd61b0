package io.tidemark.pipeline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.runtime.JobRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A pipeline running in process behind the query endpoints on a loopback port, and an HTTP client for it. */
final class RunningJob implements AutoCloseable {
    /** One HTTP answer. */
    record Answer(int status, JsonNode body, String checkpoint) {}

    /** One HTTP answer as text, with its content type. */
    record Text(int status, String contentType, String body) {}

    final JobRunner runner;
    final HttpServer server;
    final CompletableFuture<JobRunner.Result> result = new CompletableFuture<>();
    final CountDownLatch ready = new CountDownLatch(1);
    final AtomicLong checkpoints = new AtomicLong();
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "query-test-client");
                t.setDaemon(true);
                return t;
            }))
            .build();

    private RunningJob(Pipeline pipeline) throws IOException {
        runner = new JobRunner(pipeline, new JobRunner.Events() {
            @Override
            public void ready(int attempt, Long restoredCheckpoint) {
                ready.countDown();
            }

            @Override
            public void completed(long id, String location, long bytes, long durationMillis, long pause) {
                checkpoints.set(id);
            }

            @Override
            public void aborted(long id, String reason) {}
        });
        server = QueryEndpoints.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        QueryEndpoints.register(server, runner);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "query-test-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    static RunningJob start(Pipeline pipeline) throws IOException {
        RunningJob job = new RunningJob(pipeline);
        Thread thread = new Thread(
                () -> {
                    try {
                        job.result.complete(job.runner.run(new JobRunner.RestoreMode.None()));
                    } catch (Throwable t) {
                        job.result.completeExceptionally(t);
                    }
                },
                "query-test-job");
        thread.setDaemon(true);
        thread.start();
        return job;
    }

    int port() {
        return server.getAddress().getPort();
    }

    Answer get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? QueryJson.MAPPER.readTree(response.body())
                : QueryJson.MAPPER.getNodeFactory().textNode(response.body());
        return new Answer(
                response.statusCode(),
                body,
                response.headers().firstValue("X-Tidemark-Checkpoint").orElse(null));
    }

    /** GET {@code path} with the given {@code Accept} header ({@code null}: none). */
    Text text(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Text(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    @Override
    public void close() {
        runner.stop();
        try {
            result.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // the test already asserted what it needed; a failed run surfaces there
        }
        server.stop(0);
    }
}

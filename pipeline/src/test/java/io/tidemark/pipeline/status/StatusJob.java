package io.tidemark.pipeline.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tidemark.pipeline.CheckpointSettings;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.RestartStrategy;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.marketstats.MarketStatsInput;
import io.tidemark.pipeline.marketstats.MarketStatsJob;
import io.tidemark.pipeline.query.AuthToken;
import io.tidemark.pipeline.query.QueryEndpoints;
import io.tidemark.pipeline.queryable.QueryJson;
import io.tidemark.pipeline.runtime.JobRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The market-stats job on generated trades paced at {@link #RATE} per second (long enough never to end during a
 * test), run in process behind a control port with the query endpoints and the status page, like {@code tidemark run
 * --port}. The window operator fails once in its {@code failAt}-th call when {@code failAt > 0}, so the job restarts
 * from its latest checkpoint.
 */
final class StatusJob implements AutoCloseable {
    static final long RATE = 20_000;

    /** One HTTP answer: status, content type and body. */
    record Answer(int status, String type, String body) {
        JsonNode json() throws IOException {
            return QueryJson.MAPPER.readTree(body);
        }
    }

    final JobRunner runner;
    final HttpServer server;
    final StatusPage page;
    final CompletableFuture<JobRunner.Result> result = new CompletableFuture<>();
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StatusJob(Pipeline pipeline, AuthToken token) throws IOException {
        runner = new JobRunner(pipeline, new JobRunner.Events() {});
        server = QueryEndpoints.createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        QueryEndpoints.register(server, runner, token);
        page = StatusPage.register(server, runner, pipeline.nodes(), token);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "status-test-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    static StatusJob start(Path dir, long failAt, AuthToken token) throws IOException {
        PipelineContext config = new PipelineContext()
                .stateDirectory(dir.resolve("state"))
                .backend("offheap")
                .memoryBytes(32L << 20)
                .defaultParallelism(2)
                .maxParallelism(32)
                .checkpointing(CheckpointSettings.defaults().withInterval(Duration.ofMillis(700)))
                .ringSize(1024)
                .restartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(200)));
        Pipeline pipeline = MarketStatsJob.build(
                config,
                new MarketStatsJob.Options(
                        MarketStatsInput.parse("gen:1000000000,symbols=500,seed=7,rate=" + RATE),
                        dir.resolve("out"),
                        2,
                        0,
                        ErrorPolicy.DEAD_LETTER,
                        failAt > 0 ? new AtomicLong(failAt) : null));
        StatusJob job = new StatusJob(pipeline, token);
        Thread thread = new Thread(
                () -> {
                    try {
                        job.result.complete(job.runner.run(new JobRunner.RestoreMode.None()));
                    } catch (Throwable t) {
                        job.result.completeExceptionally(t);
                    }
                },
                "status-test-job");
        thread.setDaemon(true);
        thread.start();
        return job;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    Answer get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        runner.stop();
        try {
            result.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the job stopped", e);
        } finally {
            page.close();
            server.stop(0);
        }
    }
}

package io.tidemark.pipeline.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.pipeline.queryable.QueryJson;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tidemark query --port PORT [--host HOST] [--auth-token-file FILE] --state NAME --key KEY [--at-checkpoint]}:
 * prints the value as JSON on stdout.
 * Exit codes: 0 found, 3 absent (no value for the key), 1 any error (message on stderr), 2 usage.
 */
@Command(name = "query", description = "Reads one key of a queryable state of a running job (started with --port).")
public final class QueryCommand implements Callable<Integer> {
    public static final int EXIT_FOUND = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_ABSENT = 3;

    @Mixin
    ControlEndpoint endpoint = new ControlEndpoint();

    @Option(names = "--state", required = true, description = "Queryable state name, e.g. totals.")
    String state;

    @Option(names = "--key", required = true, description = "The key in its string form, e.g. AAPL or 42.")
    String key;

    @Option(names = "--at-checkpoint", description = "Read the value of the latest completed checkpoint.")
    boolean atCheckpoint;

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) {
        HttpRequest request = endpoint.request(
                        "/state/" + encode(state) + "/" + encode(key) + (atCheckpoint ? "?at=checkpoint" : ""))
                .GET()
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                out.println(response.body());
                return EXIT_FOUND;
            }
            JsonNode body = parse(response.body());
            String message = body != null && body.hasNonNull("message")
                    ? body.get("message").asText()
                    : response.body();
            boolean absentKey = response.statusCode() == 404
                    && body != null
                    && "key_not_found".equals(body.path("error").asText());
            err.println("tidemark: query " + (absentKey ? "found no value" : "failed") + " (HTTP "
                    + response.statusCode() + "): " + message);
            return absentKey ? EXIT_ABSENT : EXIT_ERROR;
        } catch (ConnectException e) {
            err.println("tidemark: no job listening on " + endpoint.where() + " (start it with run --port "
                    + endpoint.port + ")");
            return EXIT_ERROR;
        } catch (IOException e) {
            err.println("tidemark: cannot reach the job on " + endpoint.where() + ": " + e);
            return EXIT_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_ERROR;
        }
    }

    private static JsonNode parse(String text) {
        try {
            return QueryJson.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package io.tidemark.pipeline.cli;

import io.tidemark.pipeline.query.ControlEndpoint;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Calls a running job's control port; prints the answer and maps it to an exit code. */
final class ControlClient {
    private ControlClient() {}

    static int post(ControlEndpoint endpoint, String path, String parameter, String value) {
        String query = value == null ? "" : "?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        HttpRequest request = endpoint.request(path + query)
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMinutes(6))
                .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body().strip();
            if (response.statusCode() == 200) {
                System.out.println(body);
                return Launcher.EXIT_OK;
            }
            System.err.println("tidemark: " + path.substring(1) + " failed: " + body);
            return Launcher.EXIT_FAILURE;
        } catch (ConnectException e) {
            System.err.println("tidemark: no job listening on " + endpoint.where() + " (start it with run --port "
                    + endpoint.port + ")");
            return Launcher.EXIT_FAILURE;
        } catch (IOException e) {
            System.err.println("tidemark: cannot reach the job on " + endpoint.where() + ": " + e);
            return Launcher.EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Launcher.EXIT_FAILURE;
        }
    }
}

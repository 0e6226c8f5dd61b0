package io.tidemark.pipeline.query;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a client command ({@code query}, {@code savepoint}, {@code stop}) finds a running job's control port, and the
 * token it presents: {@code --port}, {@code --host} (default 127.0.0.1), {@code --auth-token-file}. A picocli mixin;
 * one instance per command invocation, on the invoking thread.
 */
public final class ControlEndpoint {
    @Option(names = "--port", required = true, description = "Control port of the running job (run --port).")
    public int port;

    @Option(names = "--host", description = "Host of the running job (default: ${DEFAULT-VALUE}).")
    public String host = "127.0.0.1";

    @Option(
            names = "--auth-token-file",
            description = "File with the job's token (run --auth-token-file), sent as Authorization: Bearer.")
    public Path authTokenFile;

    /** {@code host:port}, for messages. */
    public String where() {
        return host + ":" + port;
    }

    /**
     * A request to {@code pathAndQuery} (already URL-encoded) carrying the token when a token file was given.
     *
     * @throws io.tidemark.ConfigurationException if the token file cannot be read or holds no valid token
     */
    public HttpRequest.Builder request(String pathAndQuery) {
        String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://" + authority + ":" + port + pathAndQuery));
        if (authTokenFile != null) {
            request.header("Authorization", AuthToken.read(authTokenFile).headerValue());
        }
        return request;
    }
}

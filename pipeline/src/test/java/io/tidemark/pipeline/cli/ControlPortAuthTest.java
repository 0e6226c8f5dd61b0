package io.tidemark.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.marketstats.TradeGenerator;
import io.tidemark.pipeline.query.AuthToken;
import io.tidemark.pipeline.query.ControlEndpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control port's access rules, over real HTTP on 127.0.0.1 only: loopback by default, a non-loopback {@code
 * --bind} refused without a token file, and with {@code --auth-token-file} a bearer token checked on every request
 * (401 without it or with a wrong one) and sent by the client commands.
 */
class ControlPortAuthTest {
    private static final String TOKEN = "3f9c1a7e5b2d8f60c4a1e9b7d3f5a2c8";
    private static final String WRONG = "3f9c1a7e5b2d8f60c4a1e9b7d3f5a2c9";

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void loopbackByDefaultAndNonLoopbackOnlyWithAToken() throws Exception {
        assertThat(ControlServer.bindAddress(null, false).isLoopbackAddress()).isTrue();
        assertThat(ControlServer.bindAddress("127.0.0.1", false).isLoopbackAddress())
                .isTrue();
        assertThatThrownBy(() -> ControlServer.bindAddress("0.0.0.0", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--auth-token-file")
                .hasMessageContaining("bind=0.0.0.0");
        assertThat(ControlServer.bindAddress("0.0.0.0", true)).isEqualTo(InetAddress.getByName("0.0.0.0"));
    }

    @Test
    void runRefusesANonLoopbackBindWithoutTokenFileBeforeStarting() {
        Path state = dir.resolve("state");
        assertThat(Launcher.execute(
                        "run",
                        "market-stats",
                        "--input",
                        "gen:1000",
                        "--output",
                        dir.resolve("out").toString(),
                        "--state-dir",
                        state.toString(),
                        "--port",
                        "0",
                        "--bind",
                        "0.0.0.0"))
                .isEqualTo(Launcher.EXIT_USAGE);
        assertThat(state).doesNotExist();
    }

    @Test
    void tokenFileMustHoldALongEnoughToken() throws Exception {
        Path shortToken = Files.writeString(dir.resolve("short"), "abc\n");
        assertThatThrownBy(() -> AuthToken.read(shortToken))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("file=" + shortToken)
                .hasMessageContaining("min=16");
        assertThatThrownBy(() -> AuthToken.read(dir.resolve("missing")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not readable");
        AuthToken token = AuthToken.read(Files.writeString(dir.resolve("token"), "  " + TOKEN + "\n"));
        assertThat(token.matches("Bearer " + TOKEN)).isTrue();
        assertThat(token.matches("Bearer " + WRONG)).isFalse();
        assertThat(token.matches(TOKEN)).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.toString()).doesNotContain(TOKEN);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyRequestNeedsTheTokenAndTheClientCommandsSendIt() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Path wrongFile = Files.writeString(dir.resolve("wrong"), WRONG + "\n");
        List<String> run = List.of(
                "run",
                "market-stats",
                "--input",
                "gen:100000000,symbols=5,seed=3,rate=20000",
                "--output",
                dir.resolve("out").toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--backend",
                "heap",
                "--checkpoint-interval",
                "200ms",
                "--port",
                "0",
                "--auth-token-file",
                tokenFile.toString());
        try (ChildLauncher child = ChildLauncher.start(dir, run)) {
            String control = child.nextLine("CONTROL port=", 60_000);
            assertThat(control).as(child::transcript).isNotNull();
            String port = control.substring("CONTROL port=".length()).trim();
            assertThat(child.awaitLine("READY", 60_000)).as(child::transcript).isTrue();
            String symbol = new TradeGenerator(3, 5).trade(0).symbol();

            for (String path : List.of("/health", "/states", "/checkpoints", "/metrics", "/state/totals/" + symbol)) {
                assertThat(status("GET", port, path, null))
                        .as("GET %s without token", path)
                        .isEqualTo(401);
                assertThat(status("GET", port, path, WRONG))
                        .as("GET %s wrong token", path)
                        .isEqualTo(401);
            }
            assertThat(status("GET", port, "/health", TOKEN)).isEqualTo(200);
            assertThat(status("POST", port, "/savepoint", null)).isEqualTo(401);
            assertThat(status("POST", port, "/stop", WRONG)).isEqualTo(401);

            ControlEndpoint endpoint = new ControlEndpoint();
            endpoint.port = Integer.parseInt(port);
            endpoint.authTokenFile = tokenFile;
            String path = "/state/totals/" + symbol;
            int answer = send(endpoint.request(path).GET().build());
            while (answer != 200) {
                assertThat(answer).as("query with the client's token").isIn(404, 503);
                answer = send(endpoint.request(path).GET().build());
            }
            assertThat(Launcher.execute(
                            "query",
                            "--port",
                            port,
                            "--auth-token-file",
                            tokenFile.toString(),
                            "--state",
                            "totals",
                            "--key",
                            symbol))
                    .isEqualTo(0);
            assertThat(Launcher.execute("query", "--port", port, "--state", "totals", "--key", symbol))
                    .isEqualTo(1);
            assertThat(Launcher.execute(
                            "savepoint",
                            "--port",
                            port,
                            "--auth-token-file",
                            wrongFile.toString(),
                            "--target",
                            dir.resolve("savepoints").toString()))
                    .isEqualTo(Launcher.EXIT_FAILURE);
            assertThat(Launcher.execute(
                            "savepoint",
                            "--port",
                            port,
                            "--auth-token-file",
                            tokenFile.toString(),
                            "--target",
                            dir.resolve("savepoints").toString()))
                    .isEqualTo(Launcher.EXIT_OK);
            assertThat(Launcher.execute("stop", "--port", port)).isEqualTo(Launcher.EXIT_FAILURE);
            assertThat(child.isAlive()).isTrue();
            assertThat(Launcher.execute("stop", "--port", port, "--auth-token-file", tokenFile.toString()))
                    .isEqualTo(Launcher.EXIT_OK);
            assertThat(child.waitFor(60_000)).as(child::transcript).isZero();
            assertThat(child.transcript()).contains("STOPPED");
        }
        try (var savepoints = Files.list(dir.resolve("savepoints"))) {
            assertThat(savepoints.count()).isEqualTo(1);
        }
    }

    private int status(String method, String port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private int send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

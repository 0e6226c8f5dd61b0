package io.tidemark.pipeline.query;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lets a request through to its handler only when it carries the control port's {@link AuthToken}; answers every other
 * request 401 {@code {"error":"unauthorized",...}} with {@code WWW-Authenticate: Bearer}. Installed on every context of
 * a control port started with {@code --auth-token-file}. Runs on the HTTP server's threads; stateless.
 */
public final class BearerTokenFilter extends Filter {
    private static final byte[] UNAUTHORIZED = ("{\"error\":\"unauthorized\",\"message\":\"missing or wrong bearer"
                    + " token: send Authorization: Bearer TOKEN (the client commands take --auth-token-file)\"}")
            .getBytes(StandardCharsets.UTF_8);

    private final AuthToken token;

    private BearerTokenFilter(AuthToken token) {
        this.token = token;
    }

    /** Guards {@code context} with {@code token}; does nothing when {@code token} is {@code null} (no token set). */
    public static HttpContext guard(HttpContext context, AuthToken token) {
        if (token != null) {
            context.getFilters().add(new BearerTokenFilter(token));
        }
        return context;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (token.matches(exchange.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(exchange);
            return;
        }
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tidemark\"");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(401, UNAUTHORIZED.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(UNAUTHORIZED);
        }
    }

    @Override
    public String description() {
        return "bearer token check";
    }
}

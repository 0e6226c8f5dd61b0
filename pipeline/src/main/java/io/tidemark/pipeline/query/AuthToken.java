package io.tidemark.pipeline.query;

import io.tidemark.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared secret of a control port ({@code --auth-token-file}): the first line of a file, at least {@value
 * #MIN_LENGTH} characters, no whitespace. Clients send it as {@code Authorization: Bearer TOKEN}; the server compares
 * SHA-256 digests of the presented and the expected token with {@link MessageDigest#isEqual} (constant time, and the
 * digests have one length, so neither the content nor the length of the token leaks through timing).
 *
 * <p>Immutable, safe from any thread. {@link #toString()} never shows the token.
 */
public final class AuthToken {
    /** Shortest token accepted: 16 characters (a random hex token of 8 bytes). */
    public static final int MIN_LENGTH = 16;

    static final String SCHEME = "Bearer ";

    private final String token;
    private final byte[] digest;

    private AuthToken(String token) {
        this.token = token;
        this.digest = sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the token from the first line of {@code file} (surrounding whitespace ignored).
     *
     * @throws ConfigurationException naming the file when it cannot be read, or the token is shorter than {@value
     *     #MIN_LENGTH} characters or contains whitespace
     */
    public static AuthToken read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("auth token file not readable: file=" + file + ": " + e, e);
        }
        String token = content.lines().findFirst().orElse("").strip();
        if (token.length() < MIN_LENGTH) {
            throw new ConfigurationException("auth token too short: file=" + file + ", length=" + token.length()
                    + ", min=" + MIN_LENGTH + " (e.g. openssl rand -hex 32 > FILE)");
        }
        if (token.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigurationException("auth token contains whitespace: file=" + file);
        }
        return new AuthToken(token);
    }

    /** The value of the {@code Authorization} header a client sends. */
    public String headerValue() {
        return SCHEME + token;
    }

    /** Whether an {@code Authorization} header value (may be {@code null}) carries this token. */
    public boolean matches(String authorization) {
        if (authorization == null || !authorization.startsWith(SCHEME)) {
            return false;
        }
        byte[] presented = authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(sha256(presented), digest);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AuthToken[redacted]";
    }
}

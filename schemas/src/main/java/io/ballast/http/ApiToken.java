package io.ballast.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import io.ballast.config.SecretFiles;

/**
 * The bearer token of the store's and the views' HTTP APIs: made on the first start of {@code up} in
 * {@code <data-dir>/api.token} (owner-only), printed by {@code up}, read from there by the CLI. A request
 * without {@code Authorization: Bearer <token>} is answered 401.
 */
public final class ApiToken {
    public static final String FILE = "api.token";
    private final String value;

    private ApiToken(String value) {
        this.value = value;
    }

    public static ApiToken of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an API token must not be empty");
        }
        return new ApiToken(value.strip());
    }

    /** The token in {@code file}, made (32 random bytes, base64url) if there is none. */
    public static ApiToken loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return of(Files.readString(file, StandardCharsets.UTF_8));
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            SecretFiles.write(file, token.getBytes(StandardCharsets.UTF_8));
            return new ApiToken(token);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or make the API token " + file, e);
        }
    }

    /** The token in {@code file}, if there is one. */
    public static Optional<ApiToken> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(of(Files.readString(file, StandardCharsets.UTF_8))) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the API token " + file, e);
        }
    }

    public String value() {
        return value;
    }

    /** The {@code Authorization} header value that carries it. */
    public String header() {
        return "Bearer " + value;
    }

    /** Whether the request carries this token (compared in constant time). */
    public boolean admits(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), header().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiToken[hidden]";
    }
}

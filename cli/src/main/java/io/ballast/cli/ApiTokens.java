package io.ballast.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.ballast.http.ApiToken;

/**
 * Where the client commands find the API token of the store and the views by themselves: {@code --token-file},
 * else {@code BALLAST_API_TOKEN_FILE}, else {@code api.token} in the data directory {@code up} uses
 * ({@code BALLAST_DATA_DIR}, else {@code ~/.ballast}). No file there: requests go without a token.
 */
final class ApiTokens {
    private ApiTokens() {
    }

    static Path defaultDataDir(Map<String, String> env) {
        String dir = env.get("BALLAST_DATA_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".ballast");
    }

    static Optional<ApiToken> find(Path given, Map<String, String> env) {
        if (given != null) {
            return Optional.of(ApiToken.read(given).orElseThrow(() -> new IllegalArgumentException("--token-file: no token in " + given)));
        }
        String fromEnv = env.get("BALLAST_API_TOKEN_FILE");
        Path file = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : defaultDataDir(env).resolve(ApiToken.FILE);
        return ApiToken.read(file);
    }
}

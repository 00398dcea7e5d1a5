package io.ballast.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Option;

/** Where the client commands find the event store's API, and how they ask it. */
final class StoreClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** What the store answered. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String error() {
            return body.path("error").asText(body.toString());
        }
    }

    /** The store could not be reached. */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    @Option(names = "--store", paramLabel = "URL", defaultValue = "${env:BALLAST_STORE_URL:-http://127.0.0.1:7071}",
            description = "The event store's API (env BALLAST_STORE_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The API token (default: env BALLAST_API_TOKEN_FILE, else "
            + "api.token in the data directory of up: BALLAST_DATA_DIR or ~/.ballast).")
    Path tokenFile;

    /** What the store answered to a request for text (a checkpoint): the text, or on an error the store's JSON error. */
    record TextAnswer(int status, String text) {
        boolean ok() {
            return status / 100 == 2;
        }

        String error() {
            try {
                return JSON.readTree(text).path("error").asText(text);
            } catch (IOException e) {
                return text;
            }
        }
    }

    Answer get(String path) throws Unreachable {
        return json(send(HttpRequest.newBuilder(URI.create(url + path)).GET()));
    }

    TextAnswer getText(String path) throws Unreachable {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + path)).GET());
        return new TextAnswer(response.statusCode(), response.body());
    }

    /** A streamed answer's body, for the caller to read and close; a refusal (not 2xx) is read as the store's JSON error. */
    java.io.InputStream stream(String path) throws Unreachable, ArchiveStream.Refused {
        HttpResponse<java.io.InputStream> response = send(HttpRequest.newBuilder(URI.create(url + path)).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        try (java.io.InputStream body = response.body()) {
            byte[] bytes = body.readAllBytes();
            JsonNode error;
            try {
                error = JSON.readTree(bytes);
            } catch (IOException e) {
                error = JSON.createObjectNode().put("error", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }
            throw new ArchiveStream.Refused(new Answer(response.statusCode(), error).error());
        } catch (IOException e) {
            throw new Unreachable("could not read the event store's answer at " + url + ": " + e.getMessage());
        }
    }

    Answer post(String path, JsonNode body) throws Unreachable {
        return json(send(HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json")));
    }

    private Answer json(HttpResponse<String> response) throws Unreachable {
        try {
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new Unreachable("the event store at " + url + " answered " + response.statusCode() + " with what is not JSON: "
                    + e.getMessage());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Unreachable {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) throws Unreachable {
        ApiTokens.find(tokenFile, System.getenv()).ifPresent(token -> request.header("Authorization", token.header()));
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(3)).build()
                    .send(request.timeout(Duration.ofMinutes(30)).build(), handler);
        } catch (ConnectException e) {
            throw new Unreachable("the event store does not answer at " + url + ": is './ballast up' (or 'ballast store serve') running? "
                    + "(or set --store / BALLAST_STORE_URL)");
        } catch (IOException e) {
            throw new Unreachable("could not ask the event store at " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }
}

package io.ballast.store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.http.ApiToken;
import io.ballast.store.StoreSettings;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's API as a surface someone else can reach: only with its token, bodies and pages bounded, replays
 * only into ballast.replay.* topics, errors as messages, a status that names no path, and the signing key and
 * token owner-only on disk.
 */
@WithKafka
@WithRegistry
class StoreApiSurfaceTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;
    private static StoreService service;
    private static ApiToken token;

    @BeforeAll
    static void start(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        token = ApiToken.loadOrCreate(dir.resolve(ApiToken.FILE));
        service = StoreService.start(dir, new KafkaClients(ClientConfig.of(kafka.bootstrapServers(), registry.url())), "127.0.0.1",
                FreePort.find(), 1000, Duration.ofMinutes(1), new StoreService.Options(StoreSettings.DEFAULTS, token, false), s -> { });
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        service.close();
    }

    private static HttpResponse<String> call(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return EventJson.MAPPER.readTree(response.body()).get("error").asText();
    }

    @Test
    void requestsWithoutTheTokenAreRefused() throws Exception {
        HttpResponse<String> none = call("GET", "/status", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertTrue(error(none).startsWith("the store's API asks for its token"), none.body());
        assertEquals(401, call("GET", "/all", null, "Bearer " + token.value() + "x").statusCode());
        assertEquals(401, call("POST", "/streams/s", "{}", "Basic " + token.value()).statusCode());
        assertEquals(200, call("GET", "/status", null, token.header()).statusCode());
    }

    @Test
    void theStatusShowsTheLoopsTheCommitterAndTheRegistryButNoPath() throws Exception {
        HttpResponse<String> status = call("GET", "/status", null, token.header());
        JsonNode body = EventJson.MAPPER.readTree(status.body());
        assertEquals(3, body.get("loops").size());
        assertEquals("store-ingest", body.get("loops").get(0).get("name").asText());
        assertEquals("RUNNING", body.get("loops").get(0).get("state").asText());
        assertTrue(body.get("committer").get("synced").asBoolean());
        assertTrue(body.get("registry").get("reachable").asBoolean(), status.body());
        assertFalse(status.body().contains(dir.toString()), status.body());
    }

    @Test
    void bodiesAndPagesAreBounded() throws Exception {
        HttpResponse<String> huge = call("POST", "/streams/s", "[" + " ".repeat(StoreApi.MAX_BODY_BYTES) + "]", token.header());
        assertEquals(413, huge.statusCode());
        assertEquals("the request body is over 8388608 bytes: append fewer events at a time", error(huge));
        HttpResponse<String> page = call("GET", "/all?max=1000000", null, token.header());
        assertEquals(400, page.statusCode());
        assertEquals("'max' must be 1 to 10000, not 1000000: page with 'from'", error(page));
        assertEquals(400, call("GET", "/all?max=0", null, token.header()).statusCode());
    }

    @Test
    void replaysWriteOnlyToReplayTopics() throws Exception {
        HttpResponse<String> live = call("POST", "/replay", "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-02T00:00:00Z\", "
                + "\"toTopic\": \"ballast.metrics.raw\"}", token.header());
        assertEquals(400, live.statusCode());
        assertEquals("replays write to ballast.replay.* topics, not 'ballast.metrics.raw' (e.g. ballast.replay.audit-1); a store "
                + "started with --replay-to-any-topic allows others", error(live));
    }

    @Test
    void badInputGetsAMessageNotAnExceptionsToString() throws Exception {
        HttpResponse<String> time = call("GET", "/time?from=yesterday&to=2026-01-01T00:00:00Z", null, token.header());
        assertEquals(400, time.statusCode());
        assertTrue(error(time).contains("yesterday"), time.body());
        HttpResponse<String> notJson = call("POST", "/streams/s", "{nope", token.header());
        assertEquals(400, notJson.statusCode());
        assertTrue(error(notJson).startsWith("the request body is not JSON"), notJson.body());
    }

    @Test
    void theSigningKeyAndTheTokenAreOwnerOnly() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys").resolve("ed25519.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ApiToken.FILE))));
        assertEquals("ApiToken[hidden]", token.toString());
    }
}

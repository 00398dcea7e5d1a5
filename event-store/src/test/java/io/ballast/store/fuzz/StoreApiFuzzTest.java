package io.ballast.store.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.audit.SigningKey;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.junit.RawHttp;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.store.EventStore;
import io.ballast.store.StoreSettings;
import io.ballast.store.http.StoreApi;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The store's HTTP API on generated garbage: methods, paths (with broken percent-encoding), query parameters and
 * bodies, against a real store on RocksDB. Every request is answered with a JSON error that says what is wrong
 * (400, 404, 405, 409, 413) or served; never a 500, never a hang. Request lines the JDK's server cannot parse as a URI
 * (a bare {@code %zz}) it refuses itself before any handler runs, so the generated URIs are well-formed and carry
 * their garbage encoded. The registry is Confluent's in-memory one and
 * Kafka is not there: the API's parsing is what is fuzzed, not the broker.
 */
class StoreApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> ANSWERS = Set.of(200, 201, 400, 404, 405, 409, 413);
    private static Path dir;
    private static EventStore store;
    private static StoreApi api;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("ballast-store-fuzz");
        store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS);
        RegistryClient registry = RegistryClient.connect(RegistryConfig.of("mock://store-api-fuzz"));
        api = StoreApi.start(store, SigningKey.loadOrCreate(dir.resolve("keys")), registry,
                new KafkaClients(ClientConfig.defaults().with("bootstrap.servers", "127.0.0.1:1")), "127.0.0.1", 0);
    }

    @AfterContainer
    static void stop() throws IOException {
        api.close();
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Request(String method, String path, String query, String body) {
    }

    @Property
    void everyRequestIsAnsweredWithoutAServerError(@ForAll("requests") Request request) throws Exception {
        RawHttp.Answer response;
        try {
            response = send(request);
        } catch (IOException e) {
            if (noPath(request)) {
                // "//x" is an authority, not a path: the JDK's server answers 404 before any handler and closes the
                // connection with the body unread, which may reach the client as a reset before the answer
                return;
            }
            throw new AssertionError("no answer to " + request + ": " + e, e);
        }
        assertTrue(ANSWERS.contains(response.status()), response.status() + " for " + request + ": " + response.body());
        if (response.refusedByTheServer()) {
            // the JDK's HTTP server refused a request line it cannot parse (or whose URI has no path), before any handler ran
            return;
        }
        JsonNode body = JSON.readTree(response.body());
        if (response.status() >= 400) {
            assertTrue(body.hasNonNull("error") && !body.get("error").asText().isBlank(), response.body());
        }
    }

    /**
     * A request target of "//" and an authority without a path after it ("//", "//x"): java.net.URI refuses the first
     * ("Expected authority"), and the JDK's server reads neither as a path.
     */
    private static boolean noPath(Request request) {
        return request.path().startsWith("//") && request.path().indexOf('/', 2) < 0;
    }

    private static RawHttp.Answer send(Request request) throws IOException {
        return RawHttp.send(api.port(), request.method(), request.path() + (request.query().isEmpty() ? "" : "?" + request.query()),
                request.body());
    }

    @Property(tries = 1)
    void theStoreStillAnswersAfterwards() throws Exception {
        assertEquals(200, send(new Request("GET", "/status", "", null)).status());
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> methods = Arbitraries.of("GET", "POST", "PUT", "DELETE");
        Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().withChars("-._~/").ofMaxLength(20),
                Arbitraries.of("%25zz", "%00", "%2F", "%ff%fe", "ballast.actions%2Fk", "..", "a%252", "%E2%82%AC", "%C3%28"));
        Arbitrary<String> paths = Combinators.combine(Arbitraries.of("/streams/", "/all", "/types/", "/time", "/proofs/inclusion/",
                "/proofs/consistency", "/tree-heads", "/audit/verify", "/replay", "/status", "/", "/streams/s/metadata", "/nope/"),
                segment).as((root, rest) -> root.endsWith("/") ? root + rest : root);
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12).map(s -> java.net.URLEncoder.encode(s,
                java.nio.charset.StandardCharsets.UTF_8)), Arbitraries.of("-1", "0", "1", "99999999999999999999", "2026-01-01T00:00:00Z",
                "backward", "%25zz", "NaN", "%ff"));
        Arbitrary<String> query = Combinators.combine(Arbitraries.of("from", "to", "max", "position", "direction", "x", ""), values)
                .as((k, v) -> k + "=" + v).list().ofMaxSize(4).map(l -> String.join("&", l));
        Arbitrary<String> bodies = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().ofMaxLength(100),
                Arbitraries.of("{}", "[]", "null", "{\"events\": []}", "{\"events\": [1]}", "{\"events\": [{}]}",
                        "{\"events\": [{\"type\": \"T\", \"eventId\": \"nope\"}]}", "{\"events\": [{\"type\": \"T\", \"occurredAt\": \"x\"}]}",
                        "{\"expectedVersion\": \"sideways\", \"events\": [{\"type\": \"T\"}]}", "{\"events\": [{\"type\": \"\"}]}",
                        "{\"events\": [{\"type\": 7, \"data\": {\"a\": [1, 2]}}]}", "{\"maxAge\": \"P1D\", \"maxCount\": -5}",
                        "{\"maxAge\": \"soon\"}", "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2025-01-01T00:00:00Z\", \"toTopic\": \"x\"}",
                        "{\"from\": 1, \"to\": 2}", "{\"actor\": \"a\"}", "{\"events\": {\"type\": \"T\"}}"));
        return Combinators.combine(methods, paths, query, bodies).as(Request::new);
    }

}

package io.ballast.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.RawHttp;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.JsonToAvro;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import io.ballast.streams.StreamsAppConfig;
import io.ballast.streams.StreamsApps;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The views' HTTP API on generated requests (methods, paths with garbage and broken percent-encoding, queries,
 * bodies) over a raw socket, against the real views app (Kafka Streams, RocksDB) on a broker of its own with one
 * service in its views; the registry is Confluent's in-memory one. Every request is answered with a view or a JSON
 * error (404, 405), never a 500, never a hang; afterwards the API still serves.
 */
class ViewsApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> ANSWERS = Set.of(200, 404, 405);
    private static Path dir;
    private static EmbeddedKafka kafka;
    private static StreamsApps apps;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("ballast-views-fuzz");
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), FreePort.find(), FreePort.find());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        String registry = "mock://views-api-fuzz";
        apps = StreamsApps.start(StreamsAppConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(), "registry.url", registry,
                "state.dir", dir.resolve("state").toString(), "http.port", Integer.toString(FreePort.find()))), Duration.ofSeconds(60));
        produceReplicas(RegistryClient.connect(RegistryConfig.of(registry)), "fuzzed");
        Await.until("the view of 'fuzzed'", Duration.ofSeconds(60), () -> get("/services/fuzzed").status() == 200);
    }

    @AfterContainer
    static void stop() throws IOException {
        if (apps != null) {
            apps.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Request(String method, String target, String body) {
    }

    @Property
    void everyRequestIsAnsweredWithoutAServerError(@ForAll("requests") Request request) throws Exception {
        RawHttp.Answer answer;
        try {
            answer = RawHttp.send(apps.httpPort(), request.method(), request.target(), request.body());
        } catch (IOException e) {
            throw new AssertionError("no answer to " + request + ": " + e, e);
        }
        if (answer.refusedByTheServer()) {
            return;
        }
        assertTrue(ANSWERS.contains(answer.status()), answer.status() + " for " + request + ": " + answer.body());
        if (answer.status() >= 400 && !request.method().equals("HEAD")) {
            JsonNode body = JSON.readTree(answer.body());
            assertTrue(body.hasNonNull("error") && !body.get("error").asText().isBlank(), answer.body());
        }
    }

    /** Found by the property: the key was percent-decoded twice, so a '%' in it answered 500 and a '+' became ' '. */
    @Example
    void aPercentSignInAKeyIsAKeyNotAServerError() throws Exception {
        RawHttp.Answer answer = get("/services/%25zz");
        assertEquals(404, answer.status(), answer.body());
        assertEquals("{\"error\":\"no service '%zz' in the views: no event has named it yet\"}", answer.body());
    }

    @Property(tries = 1)
    void theViewsStillAnswerAfterwards() throws Exception {
        assertEquals(200, get("/services/fuzzed").status());
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().withChars("-._~/+").ofMaxLength(20),
                Arbitraries.strings().ofMaxLength(8).map(t -> java.net.URLEncoder.encode(t, StandardCharsets.UTF_8)),
                Arbitraries.of("%25zz", "%00", "%2F", "%ff%fe", "%E2%82%AC", "%C3%28", "a+b", "%2B", "fuzzed", "..", "x".repeat(2000)));
        Arbitrary<String> targets = Combinators.combine(Arbitraries.of("/services", "/clusters", "/services/", "/clusters/", "/",
                "/nope/", "/services//"), segment, Arbitraries.of("", "?local=true", "?local=false", "?local=%25zz", "?x=1&local=true"))
                .as((root, rest, query) -> (root.endsWith("/") ? root + rest : root) + query);
        Arbitrary<String> methods = Arbitraries.of("GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS");
        Arbitrary<String> bodies = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().ofMaxLength(50));
        return Combinators.combine(methods, targets, bodies).as(Request::new);
    }

    private static RawHttp.Answer get(String target) {
        try {
            return RawHttp.send(apps.httpPort(), "GET", target, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void produceReplicas(RegistryClient registry, String service) throws Exception {
        Schema schema = ((ValueFormat.Avro) Topics.REPLICAS.value()).schema();
        ObjectNode json = (ObjectNode) JSON.readTree("{\"service\": \"" + service + "\", \"currentReplicas\": 1, \"desiredReplicas\": 1, "
                + "\"readyReplicas\": 1}");
        GenericRecord record = JsonToAvro.read(new EnvelopeDefaults("test", Clock.systemUTC(), UUID::randomUUID)
                .fill(json, Topics.REPLICAS, schema), schema);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.REPLICAS.name(), service.getBytes(StandardCharsets.UTF_8),
                    new EventSerializer<GenericRecord>(registry).serialize(Topics.REPLICAS.name(), record))).get();
        }
    }
}

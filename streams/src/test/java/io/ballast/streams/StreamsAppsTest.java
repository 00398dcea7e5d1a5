package io.ballast.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.RawHttp;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.Signal;
import io.ballast.events.SignalKind;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.JsonToAvro;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import io.ballast.views.app.ViewsTopology;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Streams apps as {@code ballast up} runs them, against the real broker and registry: samples become
 * a closed window's signal on ballast.signals, a bad sample is dead-lettered while the app goes on, a
 * watched group's lag becomes a CONSUMER_LAG signal, and the views answer over HTTP for a service and a
 * cluster.
 */
@WithKafka
@WithRegistry
class StreamsAppsTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static StreamsApps apps;
    private static RegistryClient registry;

    @TempDir
    static Path state;

    @BeforeAll
    static void start(EmbeddedKafka kafka, ApicurioRegistry apicurio) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.METRICS_RAW, Topics.SIGNALS, Topics.DLQ, Topics.POLICIES,
                    Topics.REPLICAS, Topics.DECISIONS_SCALING, Topics.NODES, Topics.SHARDS_LOAD, Topics.PLANS_REBALANCE));
            admin.createTopics(List.of(new NewTopic("lag-test", 2, (short) 1))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                for (int i = 0; i < 8; i++) {
                    producer.send(new ProducerRecord<>("lag-test", i < 5 ? 0 : 1, null, new byte[] {(byte) i}));
                }
            }
            // the group read 2 of partition 0 and nothing of partition 1: lag 3 + 3
            admin.alterConsumerGroupOffsets("lag-consumers", Map.of(new TopicPartition("lag-test", 0), new OffsetAndMetadata(2))).all().get();
        }
        registry = RegistryClient.connect(RegistryConfig.of(apicurio.url()));
        apps = StreamsApps.start(StreamsAppConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "registry.url", apicurio.url(), "state.dir", state.toString(), "http.port", Integer.toString(FreePort.find()),
                "window.size", "10s", "window.grace", "0s", "lag.watch", "orders:lag-consumers:lag-test", "lag.interval", "1s")),
                Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (apps != null) {
            apps.close();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Produces JSON events as {@code ballast produce} does: envelope defaults, JSON to Avro, keyed by subject. */
    private static void produce(EmbeddedKafka kafka, TopicSpec topic, String... lines) throws Exception {
        Schema schema = ((ValueFormat.Avro) topic.value()).schema();
        EnvelopeDefaults defaults = new EnvelopeDefaults("test", Clock.systemUTC(), UUID::randomUUID);
        EventSerializer<GenericRecord> serializer = new EventSerializer<>(registry);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (String line : lines) {
                GenericRecord record = JsonToAvro.read(defaults.fill((ObjectNode) JsonSerde.MAPPER.readTree(line), topic, schema), schema);
                byte[] key = ((GenericRecord) record.get("envelope")).get("subject").toString().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic.name(), key, serializer.serialize(topic.name(), record))).get();
            }
        }
    }

    private static List<Signal> signals(EmbeddedKafka kafka, String service, int expected) {
        EventDecoder<Signal> decoder = EventDecoder.specific(registry, Signal.class);
        return KafkaRecords.await(kafka, Topics.SIGNALS.name(), r -> service.equals(new String(r.key(), StandardCharsets.UTF_8)),
                expected, Duration.ofSeconds(60)).stream().map(decoder::decode).toList();
    }

    @Test
    void samplesBecomeTheClosedWindowsSignalAndBadOnesAreDeadLettered(EmbeddedKafka kafka) throws Exception {
        produce(kafka, Topics.METRICS_RAW,
                sample("a", 0.5, T0 + 1000), sample("b", 0.7, T0 + 2000), sample("b", 0.6, T0 + 1500),
                "{\"service\": \"pay\", \"instance\": \"a\", \"metric\": \"cpu\", \"value\": 1, \"unit\": \"millicores\", "
                        + "\"envelope\": {\"occurredAt\": " + (T0 + 3000) + "}}",
                sample("a", 0.9, T0 + 12_000));
        List<Signal> signals = signals(kafka, "pay", 1);
        assertEquals(1, signals.size(), signals::toString);
        Signal cpu = signals.get(0);
        assertEquals(T0, cpu.getWindowStart().toEpochMilli());
        assertEquals(T0 + 10_000, cpu.getWindowEnd().toEpochMilli());
        assertEquals(3, cpu.getCount());
        assertEquals(2, cpu.getReadyInstances());
        assertEquals(1.2, cpu.getSum(), 1e-12);
        assertEquals(0.7, cpu.getMax(), 1e-12);
        List<ConsumerRecord<byte[], byte[]>> dead = KafkaRecords.await(kafka, Topics.DLQ.name(),
                r -> "ballast-signals".equals(header(r, DeadLetterHeaders.FAILED_BY)), 1, Duration.ofSeconds(30));
        assertEquals(1, dead.size());
        assertEquals("UNIT_CHANGED", header(dead.get(0), DeadLetterHeaders.REASON_CODE));
    }

    private static String sample(String instance, double value, long at) {
        return "{\"service\": \"pay\", \"instance\": \"" + instance + "\", \"metric\": \"cpu\", \"value\": " + value
                + ", \"unit\": \"cores\", \"envelope\": {\"occurredAt\": " + at + "}}";
    }

    @Test
    void aWatchedGroupsLagIsASignal(EmbeddedKafka kafka) {
        Signal lag = signals(kafka, "orders", 1).get(0);
        assertEquals(SignalKind.CONSUMER_LAG, lag.getKind());
        assertEquals("consumer_lag", lag.getMetric());
        assertEquals(6, lag.getSum(), 0);
        assertEquals(3, lag.getMax(), 0);
        assertEquals(2, lag.getPartitions());
    }

    @Test
    void theViewsServeAServiceAndAClusterOverHttp(EmbeddedKafka kafka) throws Exception {
        produce(kafka, Topics.POLICIES, "{\"service\": \"shop\", \"version\": 3, \"minReplicas\": 2, \"maxReplicas\": 10, \"metrics\": "
                + "[{\"name\": \"cpu\", \"source\": \"RESOURCE\", \"targetType\": \"UTILIZATION\", \"target\": 70}]}");
        produce(kafka, Topics.REPLICAS, "{\"service\": \"shop\", \"currentReplicas\": 2, \"desiredReplicas\": 2, \"readyReplicas\": 2}");
        produce(kafka, Topics.NODES, "{\"cluster\": \"search\", \"node\": \"n1\", \"rack\": \"r1\", \"capacity\": {\"disk\": 100}}",
                "{\"cluster\": \"search\", \"node\": \"n2\", \"rack\": \"r2\", \"capacity\": {\"disk\": 100}}");
        JsonNode shop = awaitView(kafka, "/services/shop");
        assertEquals(2, shop.path("replicas").path("value").path("currentReplicas").asInt());
        assertEquals(3, shop.path("policy").path("value").path("version").asLong());
        assertEquals(10, shop.path("policy").path("value").path("maxReplicas").asInt());
        JsonNode search = awaitView(kafka, "/clusters/search");
        assertEquals(List.of("n1", "n2"), iterable(search.path("nodes").fieldNames()));
        assertEquals("r2", search.path("nodes").path("n2").path("value").path("rack").asText());
        JsonNode all = awaitView(kafka, "/services");
        assertEquals("shop", all.path("shop").path("service").asText());
        RawHttp.Answer missing = get("/services/nobody");
        assertEquals(404, missing.status());
        assertEquals("{\"error\":\"no service 'nobody' in the views: no event has named it yet\"}", missing.body());
    }

    @Test
    void aKeyWithAPlusOrASpaceIsServedAsItIs(EmbeddedKafka kafka) throws Exception {
        produce(kafka, Topics.REPLICAS, "{\"service\": \"shop+eu west\", \"currentReplicas\": 3, \"desiredReplicas\": 3, "
                + "\"readyReplicas\": 3}");
        JsonNode shop = awaitView(kafka, "/services/shop%2Beu%20west");
        assertEquals(3, shop.path("replicas").path("value").path("currentReplicas").asInt());
        assertEquals("shop+eu west", shop.path("service").asText());
        // found by ViewsApiFuzzTest: the key was decoded twice, so a '+' became ' ' and a '%' answered 500
        assertEquals(200, get("/services/shop+eu%20west").status());
        RawHttp.Answer percent = get("/services/%25zz");
        assertEquals(404, percent.status(), percent.body());
        assertEquals("{\"error\":\"no service '%zz' in the views: no event has named it yet\"}", percent.body());
    }

    /** The view once the views app has folded everything produced so far (inputs and its repartition topics). */
    private static JsonNode awaitView(EmbeddedKafka kafka, String path) throws Exception {
        List<String> inputs = List.of(Topics.POLICIES.name(), Topics.REPLICAS.name(), Topics.NODES.name());
        ConsumerGroups.awaitCaughtUp(kafka, ViewsTopology.APP, inputs, Duration.ofSeconds(60));
        ConsumerGroups.awaitCaughtUp(kafka, ViewsTopology.APP, List.of(ViewsTopology.APP + "-service-updates-repartition",
                ViewsTopology.APP + "-cluster-updates-repartition"), Duration.ofSeconds(60));
        // caught up, the app may still be in a rebalance (a probing one, or new repartition partitions): the API then
        // answers 503 "retry shortly", as it documents; anything else is the answer
        RawHttp.Answer[] response = new RawHttp.Answer[1];
        Await.until("the views answering " + path + " other than 503", Duration.ofSeconds(30), () -> {
            try {
                response[0] = get(path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return response[0].status() != 503;
        });
        assertEquals(200, response[0].status(), response[0]::body);
        return JsonSerde.MAPPER.readTree(response[0].body());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    private static RawHttp.Answer get(String path) throws Exception {
        return get(apps.httpPort(), path);
    }

    /** One connection per request: a pooled one the server closed as idle would fail a test that waited between two. */
    private static RawHttp.Answer get(int port, String path) throws Exception {
        return RawHttp.send(port, "GET", path, null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return record.headers().lastHeader(key) == null ? null : new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aSecondInstanceSharesThePartitionsAndEitherAnswersForEveryKey(EmbeddedKafka kafka, ApicurioRegistry apicurio,
                                                                        @TempDir Path otherState) throws Exception {
        for (int i = 0; i < 12; i++) {
            produce(kafka, Topics.REPLICAS, "{\"service\": \"fleet-" + i + "\", \"currentReplicas\": " + i + ", \"desiredReplicas\": " + i + "}");
        }
        try (StreamsApps second = StreamsApps.start(StreamsAppConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "registry.url", apicurio.url(), "state.dir", otherState.toString(), "http.port", Integer.toString(FreePort.find()))),
                Duration.ofSeconds(60))) {
            Await.until("both views instances running with the partitions split", Duration.ofSeconds(60), () ->
                    apps.views().state() == KafkaStreams.State.RUNNING && second.views().state() == KafkaStreams.State.RUNNING
                            && apps.views().streamsMetadataForStore(ViewsTopology.SERVICES).size() == 2
                            && second.views().streamsMetadataForStore(ViewsTopology.SERVICES).size() == 2
                            && !apps.views().metadataForLocalThreads().iterator().next().activeTasks().isEmpty()
                            && !second.views().metadataForLocalThreads().iterator().next().activeTasks().isEmpty());
            ConsumerGroups.awaitCaughtUp(kafka, ViewsTopology.APP, List.of(Topics.REPLICAS.name()), Duration.ofSeconds(60));
            ConsumerGroups.awaitCaughtUp(kafka, ViewsTopology.APP, List.of(ViewsTopology.APP + "-service-updates-repartition"),
                    Duration.ofSeconds(60));
            for (int port : List.of(apps.httpPort(), second.httpPort())) {
                for (int i = 0; i < 12; i++) {
                    RawHttp.Answer one = get(port, "/services/fleet-" + i);
                    assertEquals(200, one.status(), one::body);
                    assertEquals(i, JsonSerde.MAPPER.readTree(one.body()).path("replicas").path("value").path("currentReplicas").asInt());
                }
                JsonNode all = JsonSerde.MAPPER.readTree(get(port, "/services").body());
                for (int i = 0; i < 12; i++) {
                    assertTrue(all.has("fleet-" + i), "fleet-" + i + " listed by the instance on " + port);
                }
            }
        }
    }

    @Test
    void theConfigurationRefusesUnknownKeysAndBadValues() {
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StreamsAppConfig.parse(Map.of("window.sise", "10s")));
        assertTrue(unknown.getMessage().startsWith("unknown key 'window.sise'; known keys: [state.dir"), unknown.getMessage());
        assertEquals("window.*: window advance must be positive and at most the size (PT10S), not PT20S",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> StreamsAppConfig.parse(Map.of("window.size", "10s", "window.advance", "20s"))).getMessage());
        assertEquals("lag.watch: 'orders:group' is not service:group:topic", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> StreamsAppConfig.parse(Map.of("lag.watch", "orders:group"))).getMessage());
    }
}

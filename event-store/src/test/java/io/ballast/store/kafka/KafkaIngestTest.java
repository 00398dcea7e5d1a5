package io.ballast.store.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.audit.SigningKey;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.JsonEvents;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.StoreAudit;
import io.ballast.store.StoreSettings;
import io.ballast.store.StoredEvent;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest, outbox and anchors against the real broker and registry: every ballast.* topic archived once
 * (undecodable bytes and dead letters too), resumed from the store's own offsets after a restart with no
 * duplicate, API appends published once and not archived twice, tree heads published to the anchors topic.
 */
@WithKafka
@WithRegistry
class KafkaIngestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RegistryClient registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void topics(EmbeddedKafka kafka, ApicurioRegistry apicurio) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        registry = RegistryClient.connect(RegistryConfig.of(apicurio.url()));
    }

    private static JsonEvents.Encoded action(String target, String action) throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree("{\"actor\": \"ops\", \"action\": \"" + action + "\", \"target\": \"" + target
                + "\", \"outcome\": \"SUCCEEDED\"}");
        return JsonEvents.encode(Topics.ACTIONS, json, new EnvelopeDefaults("test", Clock.systemUTC(), UUID::randomUUID),
                new EventSerializer<GenericRecord>(registry));
    }

    private static void send(EmbeddedKafka kafka, String topic, byte[] key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static long count(EventStore store, String streamPrefix) {
        return store.readAll(0, Integer.MAX_VALUE).stream().filter(e -> e.stream().startsWith(streamPrefix)).count();
    }

    @Test
    void everyRecordIsArchivedOnceAcrossRestartsAndOutboxEventsAreNotArchivedTwice(EmbeddedKafka kafka) throws Exception {
        String target = "ingest-" + UUID.randomUUID();
        JsonEvents.Encoded first = action(target, "deploy");
        send(kafka, Topics.ACTIONS.name(), first.key(), first.value());
        send(kafka, Topics.ACTIONS.name(), target.getBytes(StandardCharsets.UTF_8), new byte[] {9, 9, 9});
        Path storeDir = dir.resolve("store");
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS);
             KafkaIngest ingest = new KafkaIngest(store, clients(kafka), registry).start()) {
            Await.until("both records archived", Duration.ofSeconds(60), () -> count(store, "ballast.actions/" + target) == 2);
            List<StoredEvent> archived = store.readStream("ballast.actions/" + target, 0, true, 10);
            assertEquals(first.eventId(), archived.get(0).eventId());
            assertEquals("Action", archived.get(0).type());
            assertEquals(Topics.ACTIONS.name(), archived.get(0).origin().topic());
            assertEquals("Undecodable", archived.get(1).type());
            assertTrue(ingest.archived() >= 2);
        }
        JsonEvents.Encoded later = action(target, "rollback");
        send(kafka, Topics.ACTIONS.name(), later.key(), later.value());
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS);
             KafkaIngest ingest = new KafkaIngest(store, clients(kafka), registry).start();
             Outbox outbox = new Outbox(store, clients(kafka), Set.of(Topics.ACTIONS.name())).start()) {
            Await.until("the later record archived", Duration.ofSeconds(60), () -> count(store, "ballast.actions/" + target) == 3);
            // appended through the API: published by the outbox, read back by ingest, kept once
            JsonEvents.Encoded viaApi = action(target, "scale");
            store.append("ballast.actions/" + target, ExpectedVersion.ANY, List.of(new NewEvent(viaApi.eventId(), viaApi.type(),
                    viaApi.occurredAt(), viaApi.value(), Map.of(), null)));
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> published = KafkaRecords.await(kafka,
                    Topics.ACTIONS.name(), r -> r.headers().lastHeader(Outbox.POSITION_HEADER) != null
                            && new String(r.key(), StandardCharsets.UTF_8).equals(target), 1, Duration.ofSeconds(30));
            assertEquals(1, published.size());
            Map<String, Long> ends = endOffsets(kafka);
            Await.until("ingest read past the outbox's record", Duration.ofSeconds(60), () -> store.offsets().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(Topics.ACTIONS.name() + ":"))
                    .allMatch(e -> e.getValue() >= ends.getOrDefault(e.getKey(), 0L)));
            List<StoredEvent> stream = store.readStream("ballast.actions/" + target, 0, true, 10);
            assertEquals(4, stream.size(), stream.stream().map(StoredEvent::type).toList().toString());
            Set<UUID> ids = new HashSet<>();
            store.readAll(0, Integer.MAX_VALUE).forEach(e -> assertTrue(ids.add(e.eventId()), "duplicate " + e.eventId()));
            assertTrue(outbox.published() >= 1);
            assertTrue(ingest.archived() >= 1, "the later record, archived by this ingest");
        }
    }

    private static Map<String, Long> endOffsets(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < Topics.ACTIONS.partitions(); p++) {
                latest.put(new org.apache.kafka.common.TopicPartition(Topics.ACTIONS.name(), p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            Map<String, Long> ends = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp.topic() + ":" + tp.partition(), info.offset()));
            return ends;
        }
    }

    @Test
    void treeHeadsArePublishedToTheAnchorsTopicAndVerify(EmbeddedKafka kafka) throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
        try (EventStore store = EventStore.open(dir.resolve("anchored"), StoreSettings.DEFAULTS)) {
            AnchorPublisher anchors = new AnchorPublisher(store, key, 3, Duration.ofHours(1), clients(kafka), registry,
                    Topics.AUDIT_ANCHORS.name(), Clock.systemUTC()).start();
            for (int i = 0; i < 3; i++) {
                store.append("s", ExpectedVersion.ANY, List.of(NewEvent.of(UUID.randomUUID(), "T", java.time.Instant.now(), new byte[] {1})));
            }
            String storeId = store.storeId();
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> published = KafkaRecords.await(kafka,
                    Topics.AUDIT_ANCHORS.name(), r -> storeId.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(30));
            assertEquals(1, published.size());
            assertEquals(3, store.latestTreeHead().orElseThrow().size());
            anchors.close();
            assertTrue(StoreAudit.verify(store, key.publicKey()).ok());
        }
    }

    private static io.ballast.client.KafkaClients clients(EmbeddedKafka kafka) {
        return new io.ballast.client.KafkaClients(io.ballast.client.ClientConfig.defaults().with("bootstrap.servers", kafka.bootstrapServers()));
    }
}

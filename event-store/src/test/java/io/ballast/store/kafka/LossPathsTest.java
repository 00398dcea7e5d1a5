package io.ballast.store.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.ballast.audit.SigningKey;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.StoreSettings;
import io.ballast.store.StoredEvent;
import io.ballast.store.replay.ReplayFailedException;
import io.ballast.store.replay.ReplayRequest;
import io.ballast.store.replay.Replayer;
import io.ballast.supervise.Backoff;
import io.ballast.supervise.LoopStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paths that lost acknowledged data, each against the real broker: a topic that refuses a record
 * (its {@code max.message.bytes} below the record) stands for any failed send. The outbox's marker stops at
 * the first unacknowledged event and it publishes it once the topic takes it; a tree head Kafka refused is
 * published again; a replay counts only acknowledged sends and fails when one is not; records the store
 * refuses as they are are archived in a form it takes, and ingest goes on.
 */
@WithKafka
@WithRegistry
class LossPathsTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(500));
    private static RegistryClient registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void topics(EmbeddedKafka kafka, ApicurioRegistry apicurio) throws Exception {
        try (Admin admin = admin(kafka)) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        registry = RegistryClient.connect(RegistryConfig.of(apicurio.url()));
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    private static KafkaClients clients(EmbeddedKafka kafka) {
        return new KafkaClients(ClientConfig.defaults().with("bootstrap.servers", kafka.bootstrapServers()));
    }

    private static void createTopic(EmbeddedKafka kafka, String topic, int maxMessageBytes) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(maxMessageBytes))))).all().get();
        }
    }

    private static void setMaxMessageBytes(EmbeddedKafka kafka, String topic, int bytes) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", Integer.toString(bytes)), AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    /** Random bytes: a replay compresses its batches, and a repeated byte would compress below any limit. */
    private static NewEvent event(int bytes) {
        byte[] data = new byte[bytes];
        new java.util.Random(bytes).nextBytes(data);
        return NewEvent.of(UUID.randomUUID(), "Blob", Instant.now(), data);
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    @Test
    void theOutboxMarkerNeverPassesAnUnacknowledgedEventAndTheEventIsPublishedOnceKafkaTakesIt(EmbeddedKafka kafka) throws Exception {
        String topic = "ballast.test.outbox-" + UUID.randomUUID();
        createTopic(kafka, topic, 2048);
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS)) {
            store.append(topic + "/small-1", ExpectedVersion.ANY, List.of(event(100)));
            store.append(topic + "/big", ExpectedVersion.ANY, List.of(event(8000)));
            store.append(topic + "/small-2", ExpectedVersion.ANY, List.of(event(100)));
            try (Outbox outbox = new Outbox(store, clients(kafka), Set.of(topic), FAST, s -> { }).start()) {
                Await.until("the outbox failing on the refused event", Duration.ofSeconds(60), () -> outbox.status().restarts() >= 2);
                LoopStatus failing = outbox.status();
                assertTrue(failing.lastFailure().contains("RecordTooLargeException"), failing.lastFailure());
                assertTrue(outbox.position() <= 1, "the marker passed the refused event: " + outbox.position());
                setMaxMessageBytes(kafka, topic, 1024 * 1024);
                Await.until("the outbox past every event", Duration.ofSeconds(60), () -> outbox.position() == 3);
            }
            Map<String, Long> keys = KafkaRecords.await(kafka, topic, 3, Duration.ofSeconds(30)).stream()
                    .collect(Collectors.groupingBy(LossPathsTest::key, Collectors.counting()));
            assertEquals(Set.of("small-1", "big", "small-2"), keys.keySet());
            assertEquals(1L, keys.get("big"));
        }
    }

    @Test
    void aTreeHeadKafkaRefusedIsPublishedAgainUntilItIsAcknowledged(EmbeddedKafka kafka) throws Exception {
        String topic = Topics.AUDIT_ANCHORS.name();
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
        setMaxMessageBytes(kafka, topic, 64);
        try (EventStore store = EventStore.open(dir.resolve("anchored"), StoreSettings.DEFAULTS)) {
            String storeId = store.storeId();
            AnchorPublisher anchors = new AnchorPublisher(store, key, 3, Duration.ofHours(1), clients(kafka), registry, topic,
                    Clock.systemUTC(), FAST, s -> { }).start();
            try {
                for (int i = 0; i < 3; i++) {
                    store.append("s", ExpectedVersion.ANY, List.of(event(10)));
                }
                Await.until("the anchor publisher failing", Duration.ofSeconds(60), () -> anchors.status().restarts() >= 2);
                assertEquals(3, store.latestTreeHead().orElseThrow().size());
                assertEquals(0, anchors.published());
                setMaxMessageBytes(kafka, topic, 1024 * 1024);
                List<ConsumerRecord<byte[], byte[]>> published = KafkaRecords.await(kafka, topic,
                        r -> storeId.equals(key(r)), 1, Duration.ofSeconds(60));
                assertEquals(1, published.size());
                Await.until("the head counted as published", Duration.ofSeconds(10), () -> anchors.published() == 1);
            } finally {
                anchors.close();
                setMaxMessageBytes(kafka, topic, 1024 * 1024);
            }
        }
    }

    @Test
    void aReplayCountsOnlyAcknowledgedSendsAndFailsWhenOneIsRefused(EmbeddedKafka kafka) throws Exception {
        String topic = "ballast.replay.test-" + UUID.randomUUID();
        createTopic(kafka, topic, 2048);
        try (EventStore store = EventStore.open(dir.resolve("replayed"), StoreSettings.DEFAULTS)) {
            Instant from = Instant.now().minusSeconds(60);
            store.append("ballast.actions/a", ExpectedVersion.ANY, List.of(event(100)));
            store.append("ballast.actions/b", ExpectedVersion.ANY, List.of(event(8000)));
            ReplayFailedException failed = assertThrows(ReplayFailedException.class, () -> Replayer.replay(store,
                    new ReplayRequest(from, Instant.now().plusSeconds(60), null, null, topic, 0), clients(kafka)));
            assertEquals(2, failed.sent());
            assertEquals(1, failed.acknowledged(), failed.getMessage());
            assertTrue(failed.getMessage().contains("RecordTooLargeException"), failed.getMessage());
        }
    }

    @Test
    void recordsTheStoreRefusesAsTheyAreAreArchivedInAFormItTakesAndIngestGoesOn(EmbeddedKafka kafka) throws Exception {
        String run = UUID.randomUUID().toString();
        byte[] controlKey = ("bad\nkey-" + run).getBytes(StandardCharsets.UTF_8);
        byte[] longKey = ("k" + run).repeat(20).getBytes(StandardCharsets.UTF_8);
        byte[] bigLetter = new byte[1_200_000];
        byte[] hugeLetter = new byte[2_000_000];
        Arrays.fill(hugeLetter, (byte) 7);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ACTIONS.name(), controlKey, new byte[] {1, 2, 3})).get();
            producer.send(new ProducerRecord<>(Topics.ACTIONS.name(), longKey, new byte[] {4, 5, 6})).get();
            producer.send(new ProducerRecord<>(Topics.DLQ.name(), ("big-" + run).getBytes(StandardCharsets.UTF_8), bigLetter)).get();
            producer.send(new ProducerRecord<>(Topics.DLQ.name(), ("huge-" + run).getBytes(StandardCharsets.UTF_8), hugeLetter)).get();
            producer.send(new ProducerRecord<>(Topics.ACTIONS.name(), ("after-" + run).getBytes(StandardCharsets.UTF_8), new byte[] {9})).get();
        }
        // archived whole up to 1.5 MB (over the 1 MiB append limit); above it, as a refused-record entry
        StoreSettings settings = new StoreSettings(1024 * 1024, 2000, true, 20_000, 1_500_000, 0);
        try (EventStore store = EventStore.open(dir.resolve("ingest"), settings);
             KafkaIngest ingest = new KafkaIngest(store, clients(kafka), registry, FAST, s -> { }).start()) {
            // keys spread over partitions: wait for all five, whatever order the partitions are read in
            Await.until("all five records archived", Duration.ofSeconds(60), () -> store.readAll(0, Integer.MAX_VALUE).stream()
                    .filter(e -> e.stream().contains(run) || Arrays.equals(controlKey, e.headers().get(ArchivedRecords.KEY_HEADER))
                            || Arrays.equals(longKey, e.headers().get(ArchivedRecords.KEY_HEADER))
                            || new String(e.data(), StandardCharsets.UTF_8).contains(ArchivedRecords.sha256(hugeLetter))).count() == 5);
            assertEquals(0, ingest.status().restarts(), String.valueOf(ingest.status().lastFailure()));
            List<StoredEvent> all = store.readAll(0, Integer.MAX_VALUE);
            StoredEvent control = only(all, e -> Arrays.equals(controlKey, e.headers().get(ArchivedRecords.KEY_HEADER)));
            assertEquals(Topics.ACTIONS.name() + "/~key:" + ArchivedRecords.sha256(controlKey), control.stream());
            assertEquals("[1, 2, 3]", Arrays.toString(control.data()));
            StoredEvent lengthy = only(all, e -> Arrays.equals(longKey, e.headers().get(ArchivedRecords.KEY_HEADER)));
            assertEquals(Topics.ACTIONS.name() + "/~key:" + ArchivedRecords.sha256(longKey), lengthy.stream());
            StoredEvent big = only(all, e -> e.stream().equals(Topics.DLQ.name() + "/big-" + run));
            assertEquals(1_200_000, big.data().length);
            StoredEvent huge = only(all, e -> e.stream().equals(ArchivedRecords.REFUSED_PREFIX + Topics.DLQ.name())
                    && new String(e.data(), StandardCharsets.UTF_8).contains(ArchivedRecords.sha256(hugeLetter)));
            assertEquals("RefusedRecord", huge.type());
            assertEquals(Topics.DLQ.name(), huge.origin().topic());
            String entry = new String(huge.data(), StandardCharsets.UTF_8);
            assertTrue(entry.contains("\"valueBytes\":2000000") && entry.contains("over the limit of 1500000"), entry);
            assertEquals(1, ingest.refused());
        }
    }

    private static StoredEvent only(List<StoredEvent> events, java.util.function.Predicate<StoredEvent> which) {
        List<StoredEvent> found = events.stream().filter(which).toList();
        assertEquals(1, found.size(), "events matching: " + found.size());
        return found.get(0);
    }
}

package io.ballast.jobs.invalidate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.DependencyKind;
import io.ballast.events.DependencyTarget;
import io.ballast.events.EntityChange;
import io.ballast.events.Envelope;
import io.ballast.jobs.RocksDbMiniCluster;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invalidator job on a MiniCluster (parallelism 2, RocksDB, incremental checkpoints) against the real
 * broker and registry: registrations with key chains, a cycle, a tag, an expired and a withdrawn one, and
 * bad ones; a change at once, the two after it within the window coalesced; the exact invalidation set out, each key once; bad changes
 * dead-lettered with their reasons; then the job is cancelled and restored from its last checkpoint, and a
 * new change closes over the restored graph.
 */
@WithKafka
@WithRegistry
class InvalidatorJobTest {
    private static final String GROUP = "invalidator-test";
    private static final Instant NOW = Instant.now();
    @TempDir
    static Path checkpoints;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = RocksDbMiniCluster.extension();

    @BeforeAll
    static void topics(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.CACHE_DEPS, Topics.CHANGES, Topics.CACHE_INVALIDATIONS,
                    Topics.INVALIDATOR_CLOSURE, Topics.DLQ));
        }
    }

    @Test
    void closesOverTheGraphExactlyAndAgainAfterARestoreFromCheckpoint(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        JobClient first = start(kafka, registry, null);
        produce(kafka, registry, List.of(
                dep("profile:42", null, target(DependencyKind.ENTITY, "user:42")),
                dep("feed:42", null, target(DependencyKind.KEY, "profile:42"), target(DependencyKind.TAG, "user")),
                dep("a", null, target(DependencyKind.KEY, "c")),
                dep("b", null, target(DependencyKind.KEY, "a")),
                dep("c", null, target(DependencyKind.KEY, "b"), target(DependencyKind.ENTITY, "user:42")),
                dep("users-list", null, target(DependencyKind.TAG, "user")),
                dep("orders-of-42", 3600L, target(DependencyKind.ENTITY, "user:42"), target(DependencyKind.TAG, "order")),
                // made ten minutes ago for one minute: expired on arrival
                dep("expired", 60L, target(DependencyKind.ENTITY, "user:42")),
                dep("gone", null, target(DependencyKind.ENTITY, "user:42")),
                withdrawn("gone"),
                dep("", null, target(DependencyKind.ENTITY, "user:42")),
                dep("self", null, target(DependencyKind.KEY, "self"))));
        ConsumerGroups.awaitCaughtUp(kafka, GROUP, List.of(Topics.CACHE_DEPS.name()), Duration.ofSeconds(60));

        String v1 = UUID.randomUUID().toString();
        String v2 = UUID.randomUUID().toString();
        String v3 = UUID.randomUUID().toString();
        produce(kafka, registry, List.of(change("user:42", 1, 0, v1), change("user:42", 2, 20, v2), change("user:42", 3, 25, v3),
                change("user:42", 1, 30, UUID.randomUUID().toString()), change("user:42", 0, 40, UUID.randomUUID().toString())));

        // the first change of the quiet entity at once, alone; the two within its window coalesced into one
        List<String> expected = List.of("key a v3", "key b v3", "key c v3", "key feed:42 v3", "key orders-of-42 v3",
                "key profile:42 v3", "key users-list v3", "tag user v3");
        List<CacheInvalidation> leading = invalidations(kafka, registry, "user:42", 1, expected.size());
        assertEquals(expected.stream().map(s -> s.replace(" v3", " v1")).toList(), names(leading));
        assertEquals(List.of(List.of(v1)), leading.stream().map(CacheInvalidation::getChangeEventIds).distinct().toList());
        List<CacheInvalidation> closure = invalidations(kafka, registry, "user:42", 3, expected.size());
        assertEquals(expected, names(closure));
        assertEquals(List.of(List.of(v2, v3)), closure.stream().map(CacheInvalidation::getChangeEventIds).distinct().toList());

        List<String> dead = KafkaRecords.await(kafka, Topics.DLQ.name(), r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8)
                        .matches("user:42|self|") && header(r, DeadLetterHeaders.FAILED_BY).equals(InvalidatorJob.NAME), 4,
                Duration.ofSeconds(30)).stream().map(r -> header(r, DeadLetterHeaders.REASON_CODE) + " " + header(r, DeadLetterHeaders.REASON))
                .sorted().toList();
        assertEquals(List.of(
                "INVALID_EVENT dependsOn[0]: key 'self' depends on itself",
                "INVALID_EVENT key: is empty; a registration names the cache key it is for",
                "INVALID_EVENT version: 0 is missing or not a version; versions start at 1 and increase per entity",
                "VERSION_WENT_BACKWARDS version 1 of user:42 is older than version 3 already seen; its invalidation covers this change"), dead);

        ConsumerGroups.awaitCaughtUp(kafka, GROUP, List.of(Topics.CACHE_DEPS.name(), Topics.CHANGES.name()), Duration.ofSeconds(60));
        first.cancel().get();
        Path checkpoint = RocksDbMiniCluster.lastCheckpoint(checkpoints, first);

        JobClient restored = start(kafka, registry, checkpoint);
        produce(kafka, registry, List.of(dep("late-joiner", null, target(DependencyKind.KEY, "b"))));
        ConsumerGroups.awaitCaughtUp(kafka, GROUP, List.of(Topics.CACHE_DEPS.name()), Duration.ofSeconds(60));
        produce(kafka, registry, List.of(change("user:42", 4, 5_000, UUID.randomUUID().toString())));
        List<String> fourth = new ArrayList<>(expected.stream().map(s -> s.replace(" v3", " v4")).toList());
        fourth.add(4, "key late-joiner v4");
        assertEquals(fourth, names(invalidations(kafka, registry, "user:42", 4, fourth.size())));
        restored.cancel().get();
    }

    private static JobClient start(EmbeddedKafka kafka, ApicurioRegistry registry, Path restoreFrom) throws Exception {
        InvalidatorJobConfig config = InvalidatorJobConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "registry.url", registry.url(), "checkpoint.interval", "300ms", "source.idleness", "500ms", "group.id", GROUP,
                // wide enough that the two changes, produced together, coalesce on a loaded machine too
                "coalesce.window", "2s"));
        Configuration conf = RocksDbMiniCluster.jobConfiguration(checkpoints);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        new InvalidatorJob(config, InvalidatorJob.kafka(config)).build(env);
        return RocksDbMiniCluster.submit(env, InvalidatorJob.NAME, restoreFrom);
    }

    /**
     * One line per key and tag the invalidations name, sorted, with the version it is fenced at ({@code !} after a key
     * fenced at another version than its invalidation's): how the job combined nodes into invalidations depends on which
     * parallel instance owns which node.
     */
    private static List<String> names(List<CacheInvalidation> invalidations) {
        List<String> names = new ArrayList<>();
        for (CacheInvalidation i : invalidations) {
            i.getKeys().forEach(k -> names.add("key " + k.getKey() + (k.getVersion() == i.getVersion() ? "" : "!") + " v" + i.getVersion()));
            i.getTags().forEach(t -> names.add("tag " + t.getTag() + (t.getVersion() == i.getVersion() ? "" : "!") + " v" + i.getVersion()));
        }
        return names.stream().sorted().toList();
    }

    /** The invalidations of {@code entity} at {@code version}, once they name {@code names} keys and tags in all. */
    private static List<CacheInvalidation> invalidations(EmbeddedKafka kafka, ApicurioRegistry registry, String entity, long version, int names) {
        EventDecoder<CacheInvalidation> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                CacheInvalidation.class);
        return KafkaRecords.awaitUntil(kafka.bootstrapServers(), Topics.CACHE_INVALIDATIONS.name(),
                        r -> entity.equals(new String(r.key(), StandardCharsets.UTF_8)) && decoder.decode(r).getVersion() == version,
                        records -> names(records.stream().map(decoder::decode).toList()).size() >= names, Duration.ofSeconds(60))
                .stream().map(decoder::decode).toList();
    }

    private static DependencyTarget target(DependencyKind kind, String ref) {
        return DependencyTarget.newBuilder().setKind(kind).setRef(ref).build();
    }

    private static CacheDependency dep(String key, Long ttlSeconds, DependencyTarget... targets) {
        Instant at = "expired".equals(key) ? NOW.minusSeconds(600) : NOW;
        return CacheDependency.newBuilder().setEnvelope(envelope(key, "CacheDependency", at)).setKey(key).setDependsOn(List.of(targets))
                .setTtlSeconds(ttlSeconds).build();
    }

    private static CacheDependency withdrawn(String key) {
        return CacheDependency.newBuilder().setEnvelope(envelope(key, "CacheDependency", NOW)).setKey(key).setDependsOn(List.of())
                .setWithdrawn(true).build();
    }

    private static EntityChange change(String entity, long version, int millis, String id) {
        Envelope envelope = envelope(entity, "EntityChange", NOW.plusMillis(millis));
        envelope.setEventId(UUID.fromString(id));
        return EntityChange.newBuilder().setEnvelope(envelope).setEntity(entity).setVersion(version).build();
    }

    private static Envelope envelope(String subject, String type, Instant at) {
        return Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(type).setSource("test").setSubject(subject)
                .setOccurredAt(at).setRecordedAt(at).build();
    }

    private static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, List<SpecificRecord> events) throws Exception {
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SpecificRecord event : events) {
                String topic = event instanceof EntityChange ? Topics.CHANGES.name() : Topics.CACHE_DEPS.name();
                Envelope envelope = (Envelope) event.get(0);
                producer.send(new ProducerRecord<>(topic, envelope.getSubject().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, event))).get();
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}

package io.ballast.connect.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ballast.cache.CacheClient;
import io.ballast.cache.Dependencies;
import io.ballast.cache.KafkaDependencyRegistrar;
import io.ballast.cache.Loaded;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.connect.EmbeddedConnect;
import io.ballast.deadletter.DeadLetterHeaders;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.RedisServer;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.Envelope;
import io.ballast.events.InvalidatedKey;
import io.ballast.events.InvalidatedTag;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis invalidation sink in a real Connect worker (standalone, embedded) against the real broker,
 * registry and redis-server: invalidations remove exactly the older entries, tags empty their sets, an
 * undecodable record goes to ballast.dlq with the reason while the task keeps running, and a Redis whose
 * eviction policy could evict the index is refused with what to set.
 */
@WithKafka
@WithRegistry
class RedisSinkConnectorTest {
    @TempDir
    static Path dir;
    private static RedisServer server;
    private static JedisPooled redis;
    private static EmbeddedConnect connect;

    @BeforeAll
    static void start(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.CACHE_DEPS, Topics.CACHE_INVALIDATIONS, Topics.DLQ));
        }
        server = RedisServer.start();
        redis = new JedisPooled(URI.create(server.uri()));
        connect = EmbeddedConnect.start(kafka.bootstrapServers(), dir.resolve("connect"), 0);
    }

    @AfterAll
    static void stop() {
        connect.close();
        redis.close();
        server.close();
    }

    @Test
    void appliesInvalidationsAndDeadLettersWhatIsNotOne(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        connect.putRedisSink(Map.of(RedisSinkConfig.REDIS_URI, server.uri(), RedisSinkConfig.REGISTRY_URL, registry.url(),
                RedisSinkConfig.DLQ_BOOTSTRAP_SERVERS, kafka.bootstrapServers()));
        Await.until("the sink running", Duration.ofSeconds(30), () -> connect.state(EmbeddedConnect.REDIS_SINK).equals("RUNNING [RUNNING]"));
        try (KafkaDependencyRegistrar registrar = new KafkaDependencyRegistrar(kafka.bootstrapServers(), registry.url(), "sink-test")) {
            CacheClient client = new CacheClient(redis, registrar, CacheClient.Settings.DEFAULTS);
            client.getOrLoad("profile:7", () -> new Loaded("p7@3", Map.of("user:7", 3L)), Dependencies.on().entity("user:7"));
            client.getOrLoad("profile:8", () -> new Loaded("p8@9", Map.of("user:8", 9L)), Dependencies.on().entity("user:8"));
            client.getOrLoad("feed:7", () -> new Loaded("f7", Map.of("user:7", 3L)), Dependencies.on().key("profile:7"));
            client.getOrLoad("groups", () -> Loaded.unversioned("[g1]"), Dependencies.on().tag("group"));
        }
        produce(kafka, registry, List.of(
                invalidation("user:7", 4, List.of(), List.of("user")),
                invalidation("user:7", 4, List.of("feed:7"), List.of()),
                // older than what profile:8 was filled from: kept
                invalidation("user:8", 5, List.of("profile:8"), List.of()),
                invalidation("group:1", 2, List.of(), List.of("group"))), "not avro".getBytes(StandardCharsets.UTF_8));

        Await.until("the invalidations applied", Duration.ofSeconds(30),
                () -> !redis.exists("profile:7") && !redis.exists("feed:7") && !redis.exists("groups"));
        assertTrue(redis.exists("profile:8"));
        assertEquals("4", redis.hget("ballast:tomb:feed:7", "user:7"));
        assertEquals("4", redis.get("ballast:etomb:user:7"));
        ConsumerRecord<byte[], byte[]> dead = KafkaRecords.await(kafka, Topics.DLQ.name(),
                r -> header(r, DeadLetterHeaders.FAILED_BY).equals(RedisInvalidationSinkTask.NAME), 1, Duration.ofSeconds(30)).get(0);
        assertEquals("WRONG_MAGIC_BYTE", header(dead, DeadLetterHeaders.REASON_CODE));
        assertEquals(Topics.CACHE_INVALIDATIONS.name(), header(dead, DeadLetterHeaders.ORIGINAL_TOPIC));
        assertEquals("RUNNING [RUNNING]", connect.state(EmbeddedConnect.REDIS_SINK));
        connect.delete(EmbeddedConnect.REDIS_SINK);
    }

    @Test
    void withRedisDownTheSinkRetriesAndAppliesEveryInvalidationWhenItReturns(EmbeddedKafka kafka, ApicurioRegistry registry)
            throws Exception {
        RedisServer flaky = RedisServer.start();
        int port = flaky.port();
        try {
            connect.putRedisSink(Map.of(RedisSinkConfig.REDIS_URI, flaky.uri(), RedisSinkConfig.REGISTRY_URL, registry.url(),
                    RedisSinkConfig.DLQ_BOOTSTRAP_SERVERS, kafka.bootstrapServers()));
            Await.until("the sink running", Duration.ofSeconds(30), () -> connect.state(EmbeddedConnect.REDIS_SINK).equals("RUNNING [RUNNING]"));
            String run = UUID.randomUUID().toString();
            produce(kafka, registry, List.of(invalidation("up:" + run, 1, List.of(), List.of())), null);
            try (JedisPooled before = new JedisPooled(URI.create(flaky.uri()))) {
                Await.until("the first invalidation applied", Duration.ofSeconds(30), () -> "1".equals(before.get("ballast:etomb:up:" + run)));
            }
            flaky.close();
            long down = System.nanoTime();
            List<CacheInvalidation> whileDown = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                whileDown.add(invalidation("down:" + run + ":" + i, i + 1, List.of(), List.of()));
            }
            produce(kafka, registry, whileDown, null);
            // the sink keeps the batch and retries: the task stays RUNNING, it does not fail
            assertEquals("RUNNING [RUNNING]", connect.state(EmbeddedConnect.REDIS_SINK));
            flaky = RedisServer.startOn(port);
            try (JedisPooled after = new JedisPooled(URI.create(flaky.uri()))) {
                Await.until("every invalidation sent while Redis was down applied", Duration.ofSeconds(60), () -> {
                    for (int i = 0; i < 50; i++) {
                        if (!Long.toString(i + 1).equals(after.get("ballast:etomb:down:" + run + ":" + i))) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            System.out.printf("redis down: 50 invalidations sent while it was down, 50 applied, 0 lost; all applied %d ms after it "
                    + "went down%n", (System.nanoTime() - down) / 1_000_000);
            assertEquals("RUNNING [RUNNING]", connect.state(EmbeddedConnect.REDIS_SINK));
        } finally {
            connect.delete(EmbeddedConnect.REDIS_SINK);
            flaky.close();
        }
    }

    @Test
    void aRedisThatMayEvictTheIndexIsRefused(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        try (RedisServer unsafe = RedisServer.start("allkeys-lru", 0)) {
            connect.putRedisSink(Map.of(RedisSinkConfig.REDIS_URI, unsafe.uri(), RedisSinkConfig.REGISTRY_URL, registry.url(),
                    RedisSinkConfig.DLQ_BOOTSTRAP_SERVERS, kafka.bootstrapServers()));
            Await.until("the task failed", Duration.ofSeconds(30), () -> connect.state(EmbeddedConnect.REDIS_SINK).endsWith("[FAILED]"));
            assertTrue(connect.failure(EmbeddedConnect.REDIS_SINK).contains("Redis maxmemory-policy is allkeys-lru: it may evict the invalidation index"),
                    connect.failure(EmbeddedConnect.REDIS_SINK));
            connect.delete(EmbeddedConnect.REDIS_SINK);
        }
    }

    private static CacheInvalidation invalidation(String entity, long version, List<String> keys, List<String> tags) {
        Instant now = Instant.now();
        return CacheInvalidation.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.randomUUID()).setType("CacheInvalidation").setSource("test")
                        .setSubject(entity).setOccurredAt(now).setRecordedAt(now).build())
                .setEntity(entity).setVersion(version)
                .setKeys(keys.stream().map(k -> new InvalidatedKey(k, version)).toList())
                .setTags(tags.stream().map(t -> new InvalidatedTag(t, version)).toList())
                .build();
    }

    private static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, List<CacheInvalidation> events, byte[] garbage)
            throws Exception {
        EventSerializer<CacheInvalidation> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        String topic = Topics.CACHE_INVALIDATIONS.name();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            if (garbage != null) {
                producer.send(new ProducerRecord<>(topic, "junk".getBytes(StandardCharsets.UTF_8), garbage)).get();
            }
            for (CacheInvalidation event : events) {
                producer.send(new ProducerRecord<>(topic, event.getEntity().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, event))).get();
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}

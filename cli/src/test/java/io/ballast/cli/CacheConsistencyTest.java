package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.ballast.cache.AppliedInvalidations;
import io.ballast.cache.CacheClient;
import io.ballast.cache.Dependencies;
import io.ballast.cache.KafkaDependencyRegistrar;
import io.ballast.cache.Loaded;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.connect.EmbeddedConnect;
import io.ballast.connect.redis.RedisSinkConfig;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.RedisServer;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.EntityChange;
import io.ballast.events.Envelope;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import io.ballast.events.CacheInvalidation;
import io.ballast.serde.EventDecoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * The whole invalidation pipeline against a real Redis, hammered: writers change entities in a source of
 * truth (an in-memory table; a change is published after it commits, as CDC would), readers fill through
 * {@link CacheClient#getOrLoad} with random load delays, the invalidator job (its own JVM, as in
 * {@code ballast up}) and the Redis sink (a real Connect worker) apply the invalidations. Three kinds of key:
 * {@code item:i} (one entity, versioned read), {@code pair:i} (two items, versioned), {@code summary:i}
 * (depends only on the key {@code pair:i}, read without versions: only the job's closure reaches it).
 * At quiescence no cached value is older than its source; versioned keys never went backwards for any
 * reader. It reports the share of changes whose invalidation reached Redis within M ms, with p50/p99.
 */
@WithRegistry
class CacheConsistencyTest {
    private static final int ENTITIES = 20;
    private static final Duration HAMMER = Duration.ofSeconds(15);

    /** The source of truth: entity → version (the value is derived from it). */
    private final Map<String, Long> source = new ConcurrentHashMap<>();
    private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<long[]>> applied = new ConcurrentHashMap<>();
    /** When each invalidation was readable on ballast.cache.invalidations (the job's part of the latency). */
    private final Map<String, ConcurrentLinkedQueue<long[]>> published = new ConcurrentHashMap<>();
    private final AtomicLong backwards = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    /** The first changes pay for warm-up (JIT, first state and producer metadata): reported apart. */
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private volatile long hammerStart;

    @Test
    void noCachedValueIsOlderThanItsSourceAtQuiescence(ApicurioRegistry registry, @TempDir Path dir) throws Exception {
        // a broker of its own: the run floods the cache topics, which other test classes read from the beginning
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), FreePort.find(), FreePort.find())) {
            run(kafka, registry, dir);
        }
    }

    private void run(EmbeddedKafka kafka, ApicurioRegistry registry, Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        for (int i = 0; i < ENTITIES; i++) {
            source.put(entity(i), 1L);
        }
        int flinkPort = io.ballast.embedded.FreePort.find();
        try (RedisServer server = RedisServer.start();
             JedisPooled redis = new JedisPooled(URI.create(server.uri()));
             EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), dir.resolve("connect"), 0);
             ChildJvm.Running flink = FlinkProcess.start(dir, flinkPort, Duration.ofSeconds(90));
             KafkaDependencyRegistrar registrar = new KafkaDependencyRegistrar(kafka.bootstrapServers(), registry.url(), "consistency-test")) {
            new UpJobs(new FlinkRest("http://127.0.0.1:" + flinkPort), dir, true)
                    .start(io.ballast.client.ClientConfig.of(kafka.bootstrapServers(), registry.url()), List.of(), Duration.ofSeconds(120));
            connect.putRedisSink(Map.of(RedisSinkConfig.REDIS_URI, server.uri(), RedisSinkConfig.REGISTRY_URL, registry.url(),
                    RedisSinkConfig.DLQ_BOOTSTRAP_SERVERS, kafka.bootstrapServers()));
            Await.until("the sink running", Duration.ofSeconds(30), () -> connect.state(EmbeddedConnect.REDIS_SINK).equals("RUNNING [RUNNING]"));
            // summaries hang on the key graph only: registered before the run, so their closure is the job's to find
            for (int i = 0; i < ENTITIES; i++) {
                registrar.register("pair:" + i, pairDeps(i), Duration.ofHours(1));
                registrar.register("summary:" + i, Dependencies.on().key("pair:" + i), Duration.ofHours(1));
            }
            registrar.flush();
            ConsumerGroups.awaitCaughtUp(kafka, "ballast-invalidator", List.of(Topics.CACHE_DEPS.name()), Duration.ofSeconds(60));

            AppliedInvalidations listener = AppliedInvalidations.subscribe(URI.create(server.uri()), a -> applied
                    .computeIfAbsent(a.entity(), e -> new ConcurrentLinkedQueue<>()).add(new long[] {a.version(), System.currentTimeMillis()}),
                    Duration.ofSeconds(10));
            Thread watcher = watchTopic(kafka, registry);
            CacheClient client = new CacheClient(redis, registrar, CacheClient.Settings.DEFAULTS);
            long changes = hammer(kafka, registry, client);

            Await.until("every cached value as new as its source", Duration.ofSeconds(60), () -> stale(redis).isEmpty());
            Await.until("every change's invalidation applied", Duration.ofSeconds(60), () -> latencies().size() == changes);
            listener.close();
            watcher.interrupt();

            Map<String, Object> report = report(changes);
            report.putAll(rawKafkaRoundTrip(kafka));
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "cache-consistency.json"), toJson(report));
            System.out.println("cache consistency: " + toJson(report));
            assertEquals(List.of(), stale(redis));
            assertEquals(0, backwards.get(), "a reader saw a versioned key go back");
            assertTrue(reads.get() > 1000, "the readers read: " + reads.get());
            assertTrue(changes > 300, "the writers wrote: " + changes);
        }
    }

    /** Writers and readers at once for {@link #HAMMER}; returns the number of changes committed. */
    private long hammer(EmbeddedKafka kafka, ApicurioRegistry registry, CacheClient client) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong changes = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        EventSerializer<EntityChange> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            CountDownLatch done = new CountDownLatch(6);
            for (int w = 0; w < 2; w++) {
                long seed = 17 + w;
                threads.add(new Thread(() -> run(done, failures, () -> {
                    Random random = new Random(seed);
                    while (running.get()) {
                        write(entity(random.nextInt(ENTITIES)), producer, serializer);
                        changes.incrementAndGet();
                        LockSupport.parkNanos(random.nextInt(Integer.getInteger("writer.gap.ms", 40) * 1_000_000)); // ~50 changes/s per writer, random gaps
                    }
                }), "writer-" + w));
            }
            for (int r = 0; r < 4; r++) {
                long seed = 31 + r;
                threads.add(new Thread(() -> run(done, failures, () -> read(client, new Random(seed), running)), "reader-" + r));
            }
            hammerStart = System.currentTimeMillis();
            threads.forEach(Thread::start);
            LockSupport.parkNanos(HAMMER.toNanos());
            running.set(false);
            done.await();
            producer.flush();
        }
        assertEquals(List.of(), failures);
        return changes.get();
    }

    private void write(String entity, KafkaProducer<byte[], byte[]> producer, EventSerializer<EntityChange> serializer) {
        long version;
        Instant at;
        synchronized (source) {
            version = source.merge(entity, 1L, Long::sum);
            at = Instant.now();
        }
        committedAt.put(entity + "@" + version, at.toEpochMilli());
        EntityChange change = EntityChange.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.randomUUID()).setType("EntityChange").setSource("consistency-test")
                        .setSubject(entity).setOccurredAt(at).setRecordedAt(at).build())
                .setEntity(entity).setVersion(version).build();
        String topic = Topics.CHANGES.name();
        producer.send(new ProducerRecord<>(topic, entity.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, change)));
    }

    private void read(CacheClient client, Random random, AtomicBoolean running) throws Exception {
        Map<String, long[]> seen = new HashMap<>();
        while (running.get()) {
            int i = random.nextInt(ENTITIES);
            int kind = random.nextInt(3);
            String key = (kind == 0 ? "item:" : kind == 1 ? "pair:" : "summary:") + i;
            String value = switch (kind) {
                case 0 -> client.getOrLoad(key, () -> load(random, true, entity(i)), Dependencies.on().entity(entity(i)));
                case 1 -> client.getOrLoad(key, () -> load(random, true, entity(i), entity((i + 1) % ENTITIES)), pairDeps(i));
                default -> client.getOrLoad(key, () -> load(random, false, entity(i), entity((i + 1) % ENTITIES)),
                        Dependencies.on().key("pair:" + i));
            };
            reads.incrementAndGet();
            LockSupport.parkNanos(random.nextInt(8_000_000)); // ~250 reads/s per reader, random gaps
            long[] versions = versions(value);
            long[] before = kind == 2 ? null : seen.put(key, versions);
            if (before != null && (versions[0] < before[0] || versions[versions.length - 1] < before[before.length - 1])) {
                backwards.incrementAndGet();
            }
        }
    }

    /** Reads entities from the source with a random delay in the middle (a slow query). */
    private Loaded load(Random random, boolean versioned, String... entities) {
        Map<String, Long> versions = new TreeMap<>();
        StringBuilder value = new StringBuilder();
        for (String entity : entities) {
            long version = source.get(entity);
            versions.put(entity, version);
            value.append(value.length() == 0 ? "" : ",").append(entity).append('@').append(version);
            LockSupport.parkNanos(random.nextInt(3_000_000));
        }
        return versioned ? new Loaded(value.toString(), versions) : Loaded.unversioned(value.toString());
    }

    private static Dependencies pairDeps(int i) {
        return Dependencies.on().key("item:" + i).key("item:" + (i + 1) % ENTITIES);
    }

    private static String entity(int i) {
        return "e:" + i;
    }

    private static long[] versions(String value) {
        return java.util.Arrays.stream(value.split(",")).mapToLong(part -> Long.parseLong(part.substring(part.indexOf('@') + 1))).toArray();
    }

    /** Every cached entry whose value is older than the source now. */
    private List<String> stale(JedisPooled redis) {
        List<String> stale = new ArrayList<>();
        for (String prefix : List.of("item:", "pair:", "summary:")) {
            for (int i = 0; i < ENTITIES; i++) {
                String value = redis.hget(prefix + i, "v");
                if (value == null) {
                    continue;
                }
                for (String part : value.split(",")) {
                    String entity = part.substring(0, part.indexOf('@'));
                    if (Long.parseLong(part.substring(part.indexOf('@') + 1)) < source.get(entity)) {
                        stale.add(prefix + i + "=" + value + " source " + entity + "@" + source.get(entity));
                    }
                }
            }
        }
        return stale;
    }

    /** Reads ballast.cache.invalidations as it grows and notes when each entity's invalidation became readable. */
    private Thread watchTopic(EmbeddedKafka kafka, ApicurioRegistry registry) {
        EventDecoder<CacheInvalidation> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                CacheInvalidation.class);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        ConsumerGroups.assignAtTheEnd(consumer, Topics.CACHE_INVALIDATIONS.name());
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (var record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        CacheInvalidation invalidation = decoder.decode(record);
                        // the entity's own invalidation is the one that names its type tag (keys the same instance took may be in it)
                        if (!invalidation.getTags().isEmpty()) {
                            published.computeIfAbsent(invalidation.getEntity(), e -> new ConcurrentLinkedQueue<>())
                                    .add(new long[] {invalidation.getVersion(), now});
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // the run is over
            }
        }, "invalidation-watcher");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Per committed change: how long until an invalidation of its entity at its version or later was applied. */
    private List<Long> latencies() {
        return latencies(applied, 0);
    }

    private List<Long> latencies(Map<String, ConcurrentLinkedQueue<long[]>> applied) {
        return latencies(applied, 0);
    }

    /** As above, for the changes committed at or after {@code from} (epoch millis). */
    private List<Long> latencies(Map<String, ConcurrentLinkedQueue<long[]>> applied, long from) {
        List<Long> latencies = new ArrayList<>();
        committedAt.forEach((change, at) -> {
            String entity = change.substring(0, change.indexOf('@'));
            long version = Long.parseLong(change.substring(change.indexOf('@') + 1));
            long first = Long.MAX_VALUE;
            for (long[] a : applied.getOrDefault(entity, new ConcurrentLinkedQueue<>())) {
                if (a[0] >= version && a[1] >= at) {
                    first = Math.min(first, a[1]);
                }
            }
            if (first != Long.MAX_VALUE && at >= from) {
                latencies.add(first - at);
            }
        });
        Collections.sort(latencies);
        return latencies;
    }

    private Map<String, Object> report(long changes) {
        List<Long> latencies = latencies();
        Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("changes", changes);
        report.put("changesPerSecond", Math.round(changes / (double) HAMMER.toSeconds()));
        report.put("reads", reads.get());
        report.put("p50Ms", latencies.get(latencies.size() / 2));
        report.put("p99Ms", latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1)));
        report.put("maxMs", latencies.get(latencies.size() - 1));
        List<Long> job = latencies(published);
        report.put("jobP50Ms", job.get(job.size() / 2));
        report.put("jobP99Ms", job.get((int) Math.min(job.size() - 1, Math.ceil(job.size() * 0.99) - 1)));
        for (long within : List.of(50, 100, 250, 1000)) {
            long count = latencies.stream().filter(l -> l <= within).count();
            report.put("within" + within + "Ms", String.format(Locale.ROOT, "%.2f%%", 100.0 * count / latencies.size()));
        }
        List<Long> steady = latencies(applied, hammerStart + WARM_UP.toMillis());
        report.put("afterWarmUpChanges", steady.size());
        report.put("afterWarmUpP50Ms", steady.get(steady.size() / 2));
        report.put("afterWarmUpP99Ms", steady.get((int) Math.min(steady.size() - 1, Math.ceil(steady.size() * 0.99) - 1)));
        for (long within : List.of(100, 250, 1000)) {
            long count = steady.stream().filter(l -> l <= within).count();
            report.put("afterWarmUpWithin" + within + "Ms", String.format(Locale.ROOT, "%.2f%%", 100.0 * count / steady.size()));
        }
        report.put("staleAtQuiescence", 0);
        report.put("versionsWentBackwards", backwards.get());
        return report;
    }

    /** The reference from the same run: one record produced and consumed by plain clients, 200 times, one at a time. */
    private static Map<String, Object> rawKafkaRoundTrip(EmbeddedKafka kafka) throws Exception {
        String topic = "cache-consistency-reference";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
        }
        List<Long> rounds = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers(), ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            for (int i = 0; i < 200; i++) {
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, new byte[100]));
                while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    // polled again until the record is there
                }
                rounds.add((System.nanoTime() - start) / 1_000);
            }
        }
        Collections.sort(rounds);
        return Map.of("rawKafkaRoundTripP50Us", rounds.get(100), "rawKafkaRoundTripP99Us", rounds.get(197));
    }

    private static String toJson(Map<String, Object> map) {
        StringBuilder json = new StringBuilder("{");
        map.forEach((k, v) -> json.append(json.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                .append(v instanceof String ? "\"" + v + "\"" : v));
        return json.append('}').toString();
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void run(CountDownLatch done, List<Throwable> failures, Body body) {
        try {
            body.run();
        } catch (Throwable e) {
            failures.add(e);
        } finally {
            done.countDown();
        }
    }
}

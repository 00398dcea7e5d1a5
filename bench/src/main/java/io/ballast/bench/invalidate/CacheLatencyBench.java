package io.ballast.bench.invalidate;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.ballast.bench.autoscale.FlinkEnvironments;
import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Scale;
import io.ballast.bench.report.Spread;
import io.ballast.bench.report.Suite;
import io.ballast.cache.AppliedInvalidations;
import io.ballast.catalog.Topics;
import io.ballast.connect.EmbeddedConnect;
import io.ballast.connect.redis.RedisSinkConfig;
import io.ballast.embedded.KafkaReference;
import io.ballast.embedded.RedisServer;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.EntityChange;
import io.ballast.invalidate.DependencyGraph;
import io.ballast.jobs.invalidate.InvalidatorJob;
import io.ballast.jobs.invalidate.InvalidatorJobConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Change to invalidation applied in Redis, the whole path as {@code ballast up} runs it: changes sent live at a steady
 * 1,000 a second, the invalidator job (its graph registered), ballast.cache.invalidations, the Redis sink in a Connect
 * worker, its script in a real {@code redis-server}. Every script run announces "entity version removed" on
 * {@code ballast:invalidations}; a subscriber notes when each arrives. Latency: that moment minus when the change was
 * sent. Figure: the p99 of each round, after one uncounted round.
 */
public final class CacheLatencyBench implements Bench<BenchPlatform> {
    static final int CHANGES_PER_SECOND = 1_000;
    static final double GOAL_MILLIS = 50;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** When each change (entity@version) was sent, and when each of its invalidations was applied. */
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean watching = true;
    /** The version the next round's changes start at: each entity's versions rise from round to round. */
    private long nextVersion = 1;
    /** Change sent to its invalidation readable on ballast.cache.invalidations: the job's part of the latency. */
    private final List<Long> published = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The same by how many hops through the feedback topic the invalidation took (0, 1 or 2). */
    private final Map<Integer, List<Long>> publishedByHops = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "cache-latency";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        CacheTrace trace = new CacheTrace(1_000);
        Duration round = Duration.ofSeconds(scale.pick(2, 20));
        Duration warmUp = Duration.ofSeconds(scale.pick(3, 20));
        List<CacheDependency> registrations = trace.registrations(Instant.now());
        DependencyGraph graph = CacheTrace.graph(registrations);
        EventSerializer<SpecificRecord> serializer = new EventSerializer<>(platform.registryClient());
        String group = "bench-cache-latency";
        InvalidatorJobConfig config = InvalidatorJobConfig.parse(Map.of("bootstrap.servers", platform.kafka().bootstrapServers(),
                "registry.url", platform.registry().url(), "group.id", group));
        List<Double> p99 = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> jobP99 = new ArrayList<>();
        Map<Integer, List<Double>> byHopsP50 = new java.util.TreeMap<>();
        try (RedisServer redis = RedisServer.start();
             EmbeddedConnect connect = EmbeddedConnect.start(platform.kafka().bootstrapServers(), platform.directory("connect"), 0)) {
            // only this figure's changes, registrations and invalidations: not the backlog the invalidator figure left
            ConsumerGroups.startAtTheEnd(platform.kafka(), group, List.of(Topics.CHANGES.name(), Topics.CACHE_DEPS.name()));
            ConsumerGroups.startAtTheEnd(platform.kafka(), group + "-closure", List.of(config.closureTopic()));
            ConsumerGroups.startAtTheEnd(platform.kafka(), "connect-" + EmbeddedConnect.REDIS_SINK, List.of(Topics.CACHE_INVALIDATIONS.name()));
            connect.putRedisSink(Map.of(RedisSinkConfig.REDIS_URI, redis.uri(), RedisSinkConfig.REGISTRY_URL, platform.registry().url(),
                    RedisSinkConfig.DLQ_BOOTSTRAP_SERVERS, platform.kafka().bootstrapServers()));
            await("the Redis sink running", () -> connect.state(EmbeddedConnect.REDIS_SINK).equals("RUNNING [RUNNING]"));
            StreamExecutionEnvironment env = FlinkEnvironments.local(platform.directory(group));
            new InvalidatorJob(config, InvalidatorJob.kafka(config)).build(env);
            JobClient job = env.executeAsync(InvalidatorJob.NAME);
            AppliedInvalidations listener = AppliedInvalidations.subscribe(URI.create(redis.uri()), this::applied, Duration.ofSeconds(30));
            Thread watcher = watch(platform);
            try (KafkaProducer<byte[], byte[]> producer = platform.clients().producer(Map.of("linger.ms", 0))) {
                KafkaReference.produce(platform.kafka().bootstrapServers(), CacheTrace.records(serializer, Topics.CACHE_DEPS.name(), registrations));
                ConsumerGroups.awaitCaughtUp(platform.kafka(), group, List.of(Topics.CACHE_DEPS.name()), TIMEOUT);
                for (int r = -1; r < scale.rounds(); r++) {
                    List<Long> measured = send(producer, serializer, trace, graph, r < 0 ? warmUp : round);
                    if (r >= 0) {
                        p99.add(percentile(measured, 0.99));
                        p50.add(percentile(measured, 0.5));
                        List<Long> toTopic = new ArrayList<>(published);
                        toTopic.sort(Long::compare);
                        jobP99.add(percentile(toTopic, 0.99));
                        publishedByHops.forEach((hops, l) -> {
                            List<Long> sorted = new ArrayList<>(l);
                            sorted.sort(Long::compare);
                            byHopsP50.computeIfAbsent(hops, h -> new ArrayList<>()).add(percentile(sorted, 0.5));
                        });
                    }
                }
            } finally {
                listener.close();
                watching = false;
                watcher.join();
                job.cancel().get();
            }
        }
        Suite.progress("change -> applied in Redis: p99 " + p99 + " ms, p50 " + p50 + " ms; change -> readable on "
                + Topics.CACHE_INVALIDATIONS.name() + ": p99 " + jobP99 + " ms, p50 by hops through the feedback topic " + byHopsP50);
        Map<String, Object> toTopicP50ByHops = new java.util.TreeMap<>();
        byHopsP50.forEach((hops, p) -> toTopicP50ByHops.put(Integer.toString(hops), new Spread(p).rounds()));
        return List.of(new Figure("invalidator.changeToRedisP99Millis", "ms", new Spread(p99), null, Goal.valueAtMost(GOAL_MILLIS),
                "changes sent live at " + CHANGES_PER_SECOND + "/s for " + round.toSeconds() + " s a round (" + trace.entities()
                        + " entities, each changed once a second, so none coalesce; 5 invalidations per change: the entity's own "
                        + "directly, item: and pair: keys one hop through the feedback topic, summary: two) through InvalidatorJob (" + FlinkEnvironments.describe() + ", defaults: coalescing window "
                        + config.coalesceWindow().toMillis() + " ms), ballast.cache.invalidations and the Redis sink (Connect worker "
                        + "in the bench JVM, real redis-server); p99 over the round's invalidations of applied (announced on "
                        + "ballast:invalidations) minus change sent; after an uncounted round of " + warmUp.toSeconds() + " s",
                Map.of("p50Millis", new Spread(p50).rounds(), "toTopicP99Millis", new Spread(jobP99).rounds(),
                        "toTopicP50MillisByFeedbackHops", toTopicP50ByHops, "changesPerSecond", CHANGES_PER_SECOND)));
    }

    /**
     * Sends one round of changes at a steady rate (every entity once a second, a version higher each time) and waits for
     * every invalidation they cause to be read from the topic and applied; the applied latencies, sorted.
     */
    private List<Long> send(KafkaProducer<byte[], byte[]> producer, EventSerializer<SpecificRecord> serializer, CacheTrace trace,
                            DependencyGraph graph, Duration round) {
        latencies.clear();
        published.clear();
        publishedByHops.clear();
        long count = round.toSeconds() * CHANGES_PER_SECOND;
        long expected = 0;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            // a steady rate: change i goes at start + i ms (a load generator's pacing, not a wait for a condition)
            long due = start + i * 1_000_000_000L / CHANGES_PER_SECOND;
            long early = due - System.nanoTime();
            if (early > 0) {
                LockSupport.parkNanos(early);
            }
            int e = (int) (i % trace.entities());
            long v = nextVersion + i / trace.entities();
            Instant now = Instant.now();
            EntityChange change = trace.change(e, v, now);
            expected += CacheTrace.close(graph, List.of(change));
            sentAt.put(change.getEntity() + " " + v, now.toEpochMilli());
            producer.send(new ProducerRecord<>(Topics.CHANGES.name(), change.getEntity().toString().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(Topics.CHANGES.name(), change)));
        }
        nextVersion += (count + trace.entities() - 1) / trace.entities();
        long total = expected;
        await(total + " invalidations applied", () -> latencies.size() >= total);
        await(total + " invalidations read from " + Topics.CACHE_INVALIDATIONS.name(), () -> published.size() >= total);
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(Long::compare);
        return sorted;
    }

    private void applied(AppliedInvalidations.Applied applied) {
        long now = System.currentTimeMillis();
        Long sent = sentAt.get(applied.entity() + " " + applied.version());
        if (sent != null) {
            latencies.add(now - sent);
        }
    }

    /** The workload's keys: the entity's own invalidation (no key), item:/pair: one hop on, summary: two. */
    private static int hops(CacheInvalidation invalidation) {
        if (invalidation.getKeys().isEmpty()) {
            return 0;
        }
        return invalidation.getKeys().get(0).getKey().toString().startsWith("summary:") ? 2 : 1;
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.ceil(sorted.size() * p) - 1);
    }

    /** Reads ballast.cache.invalidations from its end as it grows, noting when each invalidation became readable. */
    private Thread watch(BenchPlatform platform) {
        EventDecoder<CacheInvalidation> decoder = EventDecoder.specific(platform.registryClient(), CacheInvalidation.class);
        KafkaConsumer<byte[], byte[]> consumer = platform.clients().consumer(Map.of("fetch.max.wait.ms", 10, "client.id", "bench-cache-watch"));
        ConsumerGroups.assignAtTheEnd(consumer, Topics.CACHE_INVALIDATIONS.name());
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (watching) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        CacheInvalidation invalidation = decoder.decode(record);
                        Long sent = sentAt.get(invalidation.getEntity() + " " + invalidation.getVersion());
                        if (sent != null) {
                            published.add(now - sent);
                            publishedByHops.computeIfAbsent(hops(invalidation), h -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                    .add(now - sent);
                        }
                    }
                }
            }
        }, "bench-invalidation-watcher");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " within " + TIMEOUT);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}

package io.ballast.bench.invalidate;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

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
 * {@code ballast:invalidations}; a subscriber notes when each arrives, a consumer of the topic what each invalidation
 * names. A change is applied when its invalidations name every key and tag its closure has and each was applied.
 * Latency: the moment its last invalidation was applied minus when the change was sent. Figure: the p99 over the
 * round's changes, of each round, after one uncounted round.
 */
public final class CacheLatencyBench implements Bench<BenchPlatform> {
    static final int CHANGES_PER_SECOND = 1_000;
    static final double GOAL_MILLIS = 50;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** The round's changes, by "entity version": when each was sent and how far its invalidations got. */
    private volatile Map<String, Progress> changes = new ConcurrentHashMap<>();
    private volatile boolean watching = true;
    /** The version the next round's changes start at: each entity's versions rise from round to round. */
    private long nextVersion = 1;

    /** One change's way: names of its invalidations read from the topic, invalidations read and applied, and when. */
    private static final class Progress {
        final long sentAt;
        long names;
        long read;
        long applied;
        long lastReadAt;
        long lastAppliedAt;

        Progress(long sentAt) {
            this.sentAt = sentAt;
        }

        synchronized void read(long names, long at) {
            this.names += names;
            read++;
            lastReadAt = at;
        }

        synchronized void applied(long at) {
            applied++;
            lastAppliedAt = at;
        }

        synchronized long names() {
            return names;
        }

        /** At least as many applications as invalidations read (a redelivered one may be applied twice). */
        synchronized boolean appliedAll() {
            return applied >= read;
        }
    }

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
        List<Double> toTopicP99 = new ArrayList<>();
        List<Double> toTopicP50 = new ArrayList<>();
        List<Double> invalidationsPerChange = new ArrayList<>();
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
                    Collection<Progress> done = send(producer, serializer, trace, graph, r < 0 ? warmUp : round);
                    if (r >= 0) {
                        p99.add(percentile(done, p -> p.lastAppliedAt - p.sentAt, 0.99));
                        p50.add(percentile(done, p -> p.lastAppliedAt - p.sentAt, 0.5));
                        toTopicP99.add(percentile(done, p -> p.lastReadAt - p.sentAt, 0.99));
                        toTopicP50.add(percentile(done, p -> p.lastReadAt - p.sentAt, 0.5));
                        invalidationsPerChange.add(done.stream().mapToLong(p -> p.read).sum() / (double) done.size());
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
                + Topics.CACHE_INVALIDATIONS.name() + ": p99 " + toTopicP99 + " ms, p50 " + toTopicP50 + " ms; invalidations per change "
                + invalidationsPerChange);
        return List.of(new Figure("invalidator.changeToRedisP99Millis", "ms", new Spread(p99), null, Goal.valueAtMost(GOAL_MILLIS),
                "changes sent live at " + CHANGES_PER_SECOND + "/s for " + round.toSeconds() + " s a round (" + trace.entities()
                        + " entities, each changed once a second, so none coalesce; each change invalidates the entity's tag and 4 "
                        + "keys: item: and pair: on the entity, summary: on item:, taken by the instance that owns the entity or, "
                        + "through the feedback topic, by the one that owns the key) through InvalidatorJob (" + FlinkEnvironments.describe()
                        + ", defaults: coalescing window " + config.coalesceWindow().toMillis() + " ms), ballast.cache.invalidations "
                        + "and the Redis sink (Connect worker in the bench JVM, real redis-server); p99 over the round's changes of "
                        + "its last invalidation applied (announced on ballast:invalidations, once they named every key and tag) minus "
                        + "change sent; after an uncounted round of " + warmUp.toSeconds() + " s",
                Map.of("p50Millis", new Spread(p50).rounds(), "toTopicP99Millis", new Spread(toTopicP99).rounds(),
                        "toTopicP50Millis", new Spread(toTopicP50).rounds(), "invalidationsPerChange", new Spread(invalidationsPerChange).rounds(),
                        "changesPerSecond", CHANGES_PER_SECOND)));
    }

    /**
     * Sends one round of changes at a steady rate (every entity once a second, a version higher each time) and waits until
     * their invalidations named every key and tag their closures have and each was applied; the round's changes.
     */
    private Collection<Progress> send(KafkaProducer<byte[], byte[]> producer, EventSerializer<SpecificRecord> serializer,
                                      CacheTrace trace, DependencyGraph graph, Duration round) {
        Map<String, Progress> sent = new ConcurrentHashMap<>();
        changes = sent;
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
            expected += CacheTrace.names(graph, List.of(change));
            sent.put(change.getEntity() + " " + v, new Progress(now.toEpochMilli()));
            producer.send(new ProducerRecord<>(Topics.CHANGES.name(), change.getEntity().toString().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(Topics.CHANGES.name(), change)));
        }
        nextVersion += (count + trace.entities() - 1) / trace.entities();
        long total = expected;
        await(total + " keys and tags named on " + Topics.CACHE_INVALIDATIONS.name(),
                () -> sent.values().stream().mapToLong(Progress::names).sum() >= total);
        await("every invalidation read applied", () -> sent.values().stream().allMatch(Progress::appliedAll));
        return sent.values();
    }

    private void applied(AppliedInvalidations.Applied applied) {
        Progress change = changes.get(applied.entity() + " " + applied.version());
        if (change != null) {
            change.applied(System.currentTimeMillis());
        }
    }

    private static double percentile(Collection<Progress> changes, ToLongFunction<Progress> latency, double p) {
        long[] sorted = changes.stream().mapToLong(latency).sorted().toArray();
        return sorted[(int) Math.ceil(sorted.length * p) - 1];
    }

    /** Reads ballast.cache.invalidations from its end as it grows, noting when each invalidation became readable and what it names. */
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
                        Progress change = changes.get(invalidation.getEntity() + " " + invalidation.getVersion());
                        if (change != null) {
                            change.read(CacheTrace.names(invalidation), now);
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

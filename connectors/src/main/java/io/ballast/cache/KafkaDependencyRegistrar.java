package io.ballast.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.ballast.catalog.Topics;
import io.ballast.events.CacheDependency;
import io.ballast.events.DependencyKind;
import io.ballast.events.DependencyTarget;
import io.ballast.events.Envelope;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes registrations to ballast.cache.deps (compacted, keyed by cache key) with an idempotent
 * producer. A key is published again only when its dependencies change or half its TTL has passed, so a
 * hot key does not register on every fill.
 */
public final class KafkaDependencyRegistrar implements DependencyRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDependencyRegistrar.class);
    private final KafkaProducer<byte[], byte[]> producer;
    private final EventSerializer<CacheDependency> serializer;
    private final String source;
    private final Clock clock;
    /** Keys registered and not yet due for a refresh; a key past its refresh time is forgotten (it registers again anyway). */
    private final Map<String, Registered> registered = new ConcurrentHashMap<>();
    private final AtomicLong sinceSweep = new AtomicLong();

    private static final long SWEEP_EVERY = 10_000;

    private record Registered(Dependencies dependencies, Instant refreshAt) {
    }

    public KafkaDependencyRegistrar(String bootstrapServers, String registryUrl, String source) {
        this(io.ballast.client.ClientConfig.of(bootstrapServers, registryUrl), source);
    }

    /** A registrar whose producer and registry client take {@code clients} (brokers, registry, security). */
    public KafkaDependencyRegistrar(io.ballast.client.ClientConfig clients, String source) {
        io.ballast.client.KafkaClients kafka = new io.ballast.client.KafkaClients(clients);
        this.producer = kafka.producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1,
                        // a cache read must not wait on Kafka: a registration that cannot be sent is retried by the next fill
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000));
        this.serializer = new EventSerializer<>(kafka.registry());
        this.source = source;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void register(String key, Dependencies dependencies, Duration ttl) {
        Instant now = clock.instant();
        Registered last = registered.get(key);
        if (last != null && last.dependencies().equals(dependencies) && now.isBefore(last.refreshAt())) {
            return;
        }
        registered.put(key, new Registered(dependencies, now.plus(ttl.dividedBy(2))));
        if (sinceSweep.incrementAndGet() % SWEEP_EVERY == 0) {
            // a client that fills many distinct keys must not keep every one it ever registered
            registered.values().removeIf(r -> now.isAfter(r.refreshAt()));
        }
        CacheDependency event = CacheDependency.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.randomUUID()).setType("CacheDependency").setSource(source)
                        .setSubject(key).setOccurredAt(now).setRecordedAt(now).build())
                .setKey(key).setDependsOn(targets(dependencies)).setTtlSeconds(Math.max(1, ttl.toSeconds())).build();
        String topic = Topics.CACHE_DEPS.name();
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, event)),
                    (metadata, error) -> {
                        if (error != null) {
                            failed(key, error);
                        }
                    });
        } catch (KafkaException e) {
            failed(key, e);
        }
    }

    private void failed(String key, Exception error) {
        // the next fill registers it again
        registered.remove(key);
        LOG.warn("could not register the dependencies of {}: {}", key, error.toString());
    }

    private static List<DependencyTarget> targets(Dependencies dependencies) {
        List<DependencyTarget> targets = new ArrayList<>();
        dependencies.entities().forEach(e -> targets.add(new DependencyTarget(DependencyKind.ENTITY, e)));
        dependencies.keys().forEach(k -> targets.add(new DependencyTarget(DependencyKind.KEY, k)));
        dependencies.tags().forEach(t -> targets.add(new DependencyTarget(DependencyKind.TAG, t)));
        return targets;
    }

    /** Sends what is buffered. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}

package io.ballast.store.kafka;

import io.ballast.client.KafkaClients;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.ballast.audit.SigningKey;
import io.ballast.audit.TreeHead;
import io.ballast.events.AuditAnchor;
import io.ballast.events.Envelope;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventSerializer;
import io.ballast.store.EventStore;
import io.ballast.supervise.Backoff;
import io.ballast.supervise.Failures;
import io.ballast.supervise.LoopStatus;
import io.ballast.supervise.SupervisedLoop;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Signs a tree head every {@code everyEvents} new events or every {@code everyInterval} (when anything was
 * appended), keeps it in the store and publishes it to ballast.audit.anchors: a copy outside the store that
 * a later tampering of the store cannot rewrite. A head is published again until Kafka acknowledges it.
 */
public final class AnchorPublisher implements AutoCloseable {
    static final String MARKER = "anchors-published";
    private static final Duration TICK = Duration.ofMillis(200);
    private final EventStore store;
    private final SigningKey key;
    private final long everyEvents;
    private final Duration everyInterval;
    private final Clock clock;
    private final KafkaClients clients;
    private final RegistryClient registry;
    private final String topic;
    private final SupervisedLoop loop;
    private volatile long published;
    private long lastSize;
    private long lastAt;

    public AnchorPublisher(EventStore store, SigningKey key, long everyEvents, Duration everyInterval, KafkaClients clients,
                           RegistryClient registry, String topic, Clock clock) {
        this(store, key, everyEvents, everyInterval, clients, registry, topic, clock, Backoff.DEFAULT, status -> { });
    }

    /** @param onFailure told of every failure to sign or publish (the loop is restarted after {@code backoff}) */
    public AnchorPublisher(EventStore store, SigningKey key, long everyEvents, Duration everyInterval, KafkaClients clients,
                           RegistryClient registry, String topic, Clock clock, Backoff backoff, Consumer<LoopStatus> onFailure) {
        this.store = store;
        this.key = key;
        this.everyEvents = everyEvents;
        this.everyInterval = everyInterval;
        this.clock = clock;
        this.clients = clients;
        this.registry = registry;
        this.topic = topic;
        this.lastSize = store.latestTreeHead().map(TreeHead::size).orElse(-1L);
        this.lastAt = clock.millis();
        this.loop = new SupervisedLoop("store-anchors", this::session, backoff, onFailure);
    }

    public AnchorPublisher start() {
        loop.start();
        return this;
    }

    public LoopStatus status() {
        return loop.status();
    }

    /** Tree heads Kafka acknowledged since this publisher started. */
    public long published() {
        return published;
    }

    /**
     * One run: first publishes a kept head that Kafka never acknowledged (a failed send, a crash between
     * signing and publishing), then signs and publishes when due. A head counts as published only once its
     * send is acknowledged; the store's marker says up to which size.
     */
    private void session(BooleanSupplier running) throws Exception {
        try (KafkaProducer<String, AuditAnchor> producer = clients.producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG, "ballast-store-anchors"), new StringSerializer(),
                new EventSerializer<>(registry))) {
            while (running.getAsBoolean()) {
                Optional<TreeHead> latest = store.latestTreeHead();
                if (latest.isPresent() && latest.get().size() + 1 > store.marker(MARKER)) {
                    publish(producer, latest.get());
                }
                long size = store.size();
                boolean grown = size > lastSize && size > 0;
                if (grown && (size - Math.max(0, lastSize) >= everyEvents || clock.millis() - lastAt >= everyInterval.toMillis())) {
                    TreeHead head = store.signTreeHead(key);
                    lastSize = head.size();
                    lastAt = clock.millis();
                    publish(producer, head);
                }
                LockSupport.parkNanos(TICK.toNanos());
            }
        }
    }

    private void publish(KafkaProducer<String, AuditAnchor> producer, TreeHead head) throws Exception {
        try {
            producer.send(new ProducerRecord<>(topic, head.storeId(), toEvent(head))).get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish the tree head of size " + head.size() + " to " + topic + ": "
                    + Failures.describe(e.getCause()), e.getCause());
        }
        // the marker is one past the size published, so that 0 means "nothing published" even for a head of size 0
        store.setMarker(MARKER, head.size() + 1);
        published++;
    }
    static AuditAnchor toEvent(TreeHead head) {
        UUID id = UUID.nameUUIDFromBytes(("ballast-store/anchor/" + head.storeId() + "/" + head.size()).getBytes(StandardCharsets.UTF_8));
        return AuditAnchor.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(id).setType("AuditAnchor").setSource("ballast-store")
                        .setSubject(head.storeId()).setOccurredAt(head.signedAt()).setRecordedAt(head.signedAt()).build())
                .setStoreId(head.storeId()).setTreeSize(head.size()).setRootHash(ByteBuffer.wrap(head.root()))
                .setSignedAt(head.signedAt()).setKeyId(head.keyId()).setSignature(ByteBuffer.wrap(head.signature()))
                .setCheckpoint(head.checkpoint())
                .build();
    }

    @Override
    public void close() {
        loop.close();
    }
}

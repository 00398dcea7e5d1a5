package io.ballast.store.kafka;

import io.ballast.client.KafkaClients;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.ballast.audit.SigningKey;
import io.ballast.audit.TreeHead;
import io.ballast.events.AuditAnchor;
import io.ballast.events.Envelope;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventSerializer;
import io.ballast.store.EventStore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a tree head every {@code everyEvents} new events or every {@code everyInterval} (when anything was
 * appended), keeps it in the store and publishes it to ballast.audit.anchors: a copy outside the store that
 * a later tampering of the store cannot rewrite.
 */
public final class AnchorPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnchorPublisher.class);
    private final EventStore store;
    private final SigningKey key;
    private final long everyEvents;
    private final Duration everyInterval;
    private final Clock clock;
    private final KafkaProducer<String, AuditAnchor> producer;
    private final String topic;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ballast-store-anchors");
        t.setDaemon(true);
        return t;
    });
    private long lastSize = -1;
    private long lastAt;

    public AnchorPublisher(EventStore store, SigningKey key, long everyEvents, Duration everyInterval, KafkaClients clients,
                           RegistryClient registry, String topic, Clock clock) {
        this.store = store;
        this.key = key;
        this.everyEvents = everyEvents;
        this.everyInterval = everyInterval;
        this.clock = clock;
        this.topic = topic;
        this.producer = clients.producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, "ballast-store-anchors"), new StringSerializer(), new EventSerializer<>(registry));
        this.lastSize = store.latestTreeHead().map(TreeHead::size).orElse(-1L);
        this.lastAt = clock.millis();
    }

    public AnchorPublisher start() {
        timer.scheduleWithFixedDelay(this::maybeSign, 200, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    private void maybeSign() {
        try {
            long size = store.size();
            boolean grown = size > lastSize && size > 0;
            if (grown && (size - Math.max(0, lastSize) >= everyEvents || clock.millis() - lastAt >= everyInterval.toMillis())) {
                TreeHead head = store.signTreeHead(key);
                producer.send(new ProducerRecord<>(topic, head.storeId(), toEvent(head)));
                lastSize = head.size();
                lastAt = clock.millis();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not sign or publish a tree head: {}", e.toString());
        }
    }

    static AuditAnchor toEvent(TreeHead head) {
        UUID id = UUID.nameUUIDFromBytes(("ballast-store/anchor/" + head.storeId() + "/" + head.size()).getBytes(StandardCharsets.UTF_8));
        return AuditAnchor.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(id).setType("AuditAnchor").setSource("ballast-store")
                        .setSubject(head.storeId()).setOccurredAt(head.signedAt()).setRecordedAt(head.signedAt()).build())
                .setStoreId(head.storeId()).setTreeSize(head.size()).setRootHash(ByteBuffer.wrap(head.root()))
                .setSignedAt(head.signedAt()).setKeyId(head.keyId()).setSignature(ByteBuffer.wrap(head.signature()))
                .build();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close();
    }
}

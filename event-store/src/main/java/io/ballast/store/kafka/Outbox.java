package io.ballast.store.kafka;

import io.ballast.client.KafkaClients;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.ballast.store.EventStore;
import io.ballast.store.StoredEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the events appended through the API to their topic (stream {@code topic/key}), with an
 * idempotent producer, in log order, after they are durable in the store. Its progress (the next position
 * to publish) is kept in the store once Kafka acknowledged, so a restart publishes again at most the
 * last unacknowledged batch; ingest skips those events when it reads them back (their ids are stored).
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    static final String MARKER = "outbox";
    public static final String POSITION_HEADER = "ballast.store.position";

    private final EventStore store;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Set<String> topics;
    private final Semaphore wake = new Semaphore(0);
    private final Runnable listener = wake::release;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long published;

    /** @param topics the topics it may publish to (the catalog's); events of other streams stay in the store only */
    public Outbox(EventStore store, KafkaClients clients, Set<String> topics) {
        this.store = store;
        this.topics = Set.copyOf(topics);
        this.producer = clients.producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.CLIENT_ID_CONFIG, "ballast-store-outbox"));
        this.thread = new Thread(this::run, "ballast-store-outbox");
    }

    public Outbox start() {
        store.onCommit(listener);
        thread.start();
        return this;
    }

    public long published() {
        return published;
    }

    private void run() {
        while (running) {
            try {
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
                drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("outbox could not publish ({}); retrying", e.toString());
            }
        }
    }

    private void drain() {
        long next = store.marker(MARKER);
        while (running && next < store.size()) {
            List<StoredEvent> events = store.readAll(next, 1000);
            for (StoredEvent e : events) {
                String topic = topicOf(e.stream());
                if (e.origin() == null && topic != null) {
                    RecordHeaders headers = new RecordHeaders();
                    e.headers().forEach(headers::add);
                    headers.add(POSITION_HEADER, Long.toString(e.position()).getBytes(StandardCharsets.UTF_8));
                    String key = e.stream().substring(topic.length() + 1);
                    producer.send(new ProducerRecord<>(topic, null, e.occurredAt().toEpochMilli(), key.getBytes(StandardCharsets.UTF_8),
                            e.data(), headers));
                    published++;
                }
            }
            producer.flush();
            next = events.get(events.size() - 1).position() + 1;
            store.setMarker(MARKER, next);
        }
    }

    private String topicOf(String stream) {
        int slash = stream.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String topic = stream.substring(0, slash);
        return topics.contains(topic) ? topic : null;
    }

    @Override
    public void close() {
        running = false;
        store.removeCommitListener(listener);
        wake.release();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}

package io.ballast.store.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.ballast.client.KafkaClients;
import io.ballast.store.EventStore;
import io.ballast.store.StoredEvent;
import io.ballast.supervise.Backoff;
import io.ballast.supervise.Failures;
import io.ballast.supervise.LoopStatus;
import io.ballast.supervise.SupervisedLoop;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes the events appended through the API to their topic (stream {@code topic/key}), with an
 * idempotent producer, in log order, after they are durable in the store. Its progress (the next position
 * to publish) moves only past events whose send Kafka acknowledged (their callback said so): a failed send
 * ends the run at the first failed position, and the supervisor publishes again from there after a backoff.
 * So an event may be published twice (a retry, a restart), never not at all; ingest skips those events when
 * it reads them back (their ids are stored).
 */
public final class Outbox implements AutoCloseable {
    static final String MARKER = "outbox";
    public static final String POSITION_HEADER = "ballast.store.position";
    private static final int PAGE = 1000;

    private final EventStore store;
    private final KafkaClients clients;
    private final Set<String> topics;
    private final Semaphore wake = new Semaphore(0);
    private final Runnable listener = wake::release;
    private final SupervisedLoop loop;
    private final AtomicLong published = new AtomicLong();

    /** @param topics the topics it may publish to (the catalog's); events of other streams stay in the store only */
    public Outbox(EventStore store, KafkaClients clients, Set<String> topics) {
        this(store, clients, topics, Backoff.DEFAULT, status -> { });
    }

    public Outbox(EventStore store, KafkaClients clients, Set<String> topics, Backoff backoff, Consumer<LoopStatus> onFailure) {
        this.store = store;
        this.clients = clients;
        this.topics = Set.copyOf(topics);
        this.loop = new SupervisedLoop("store-outbox", new SupervisedLoop.Body() {
            @Override
            public void run(BooleanSupplier running) throws InterruptedException {
                session(running);
            }

            @Override
            public void wakeup() {
                wake.release();
            }
        }, backoff, onFailure);
    }

    public Outbox start() {
        store.onCommit(listener);
        loop.start();
        return this;
    }

    /** Events Kafka acknowledged since this outbox started. */
    public long published() {
        return published.get();
    }

    /** The next position to publish (everything before it is acknowledged or not for Kafka). */
    public long position() {
        return store.marker(MARKER);
    }

    public LoopStatus status() {
        return loop.status();
    }

    private void session(BooleanSupplier running) throws InterruptedException {
        try (KafkaProducer<byte[], byte[]> producer = clients.producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG, "ballast-store-outbox"))) {
            while (running.getAsBoolean()) {
                drain(producer, running);
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
            }
        }
    }

    private void drain(KafkaProducer<byte[], byte[]> producer, BooleanSupplier running) throws InterruptedException {
        long next = store.marker(MARKER);
        while (running.getAsBoolean() && next < store.size()) {
            List<StoredEvent> events = store.readAll(next, PAGE);
            Map<Long, String> failed = publish(producer, events);
            if (!failed.isEmpty()) {
                // everything before the first failure was acknowledged: keep that progress, retry from there
                Map.Entry<Long, String> first = failed.entrySet().iterator().next();
                store.setMarker(MARKER, first.getKey());
                throw new OutboxPublishException("could not publish the event at position " + first.getKey() + " (" + failed.size()
                        + " of this page failed): " + first.getValue() + "; publishing again from there");
            }
            next = events.get(events.size() - 1).position() + 1;
            store.setMarker(MARKER, next);
        }
    }

    /** Sends a page and waits for every callback; returns the failed positions (in order) with their reasons. */
    private Map<Long, String> publish(KafkaProducer<byte[], byte[]> producer, List<StoredEvent> events) throws InterruptedException {
        Map<Long, String> failed = new ConcurrentSkipListMap<>();
        List<StoredEvent> sent = events.stream().filter(e -> e.origin() == null && topicOf(e.stream()) != null).toList();
        CountDownLatch answered = new CountDownLatch(sent.size());
        for (StoredEvent e : sent) {
            try {
                producer.send(record(e), (metadata, error) -> {
                    if (error == null) {
                        published.incrementAndGet();
                    } else {
                        failed.put(e.position(), Failures.describe(error));
                    }
                    answered.countDown();
                });
            } catch (RuntimeException error) {
                failed.put(e.position(), Failures.describe(error));
                answered.countDown();
            }
        }
        producer.flush();
        if (!answered.await(5, TimeUnit.MINUTES)) {
            throw new OutboxPublishException("Kafka did not answer " + answered.getCount() + " sends within 5 minutes; publishing again");
        }
        return failed;
    }

    private ProducerRecord<byte[], byte[]> record(StoredEvent e) {
        String topic = topicOf(e.stream());
        RecordHeaders headers = new RecordHeaders();
        e.headers().forEach(headers::add);
        headers.add(POSITION_HEADER, Long.toString(e.position()).getBytes(StandardCharsets.UTF_8));
        String key = e.stream().substring(topic.length() + 1);
        return new ProducerRecord<>(topic, null, e.occurredAt().toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), e.data(), headers);
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
        store.removeCommitListener(listener);
        loop.close();
    }

    /** A page of the outbox could not be published; the run ends and the supervisor starts again from the first failure. */
    static final class OutboxPublishException extends RuntimeException {
        OutboxPublishException(String message) {
            super(message);
        }
    }
}

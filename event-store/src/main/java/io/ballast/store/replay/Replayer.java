package io.ballast.store.replay;

import io.ballast.catalog.ReplayHeaders;
import io.ballast.client.KafkaClients;

import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.ballast.supervise.Failures;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.ballast.store.EventStore;
import io.ballast.store.kafka.KafkaIngest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import io.ballast.store.StoredEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Re-publishes a range of history: each selected event with its bytes, its key (the stream's subject), its
 * original event time as the record timestamp, its original headers and the replay's headers
 * ({@code ballast.replay.id}, {@code ballast.replay.position}, {@code ballast.replay.type}, and where the store's ingest
 * read it: {@code ballast.replay.source-topic}, {@code -partition}, {@code -offset}). An event counts
 * as published once Kafka acknowledged it; if any send fails the replay fails ({@link ReplayFailedException}) and says
 * how many were acknowledged.
 */
public final class Replayer {
    public static final String REPLAY_ID = ReplayHeaders.REPLAY_ID;
    public static final String POSITION = ReplayHeaders.POSITION;
    public static final String SOURCE_TOPIC = ReplayHeaders.SOURCE_TOPIC;
    public static final String SOURCE_PARTITION = ReplayHeaders.SOURCE_PARTITION;
    public static final String SOURCE_OFFSET = ReplayHeaders.SOURCE_OFFSET;
    public static final String TYPE = ReplayHeaders.TYPE;
    private static final String REFUSED_PREFIX = KafkaIngest.REFUSED_PREFIX;

    /** What a replay did. */
    public record Result(String replayId, long published, long scanned, double seconds) {
        public long perSecond() {
            return seconds == 0 ? published : Math.round(published / seconds);
        }
    }

    private Replayer() {
    }

    public static Result replay(EventStore store, ReplayRequest request, KafkaClients clients) {
        ensureTopic(clients, request.toTopic());
        String replayId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        long sent = 0;
        long scanned = 0;
        AtomicLong acknowledged = new AtomicLong();
        Map<Long, String> failures = new ConcurrentSkipListMap<>();
        long intervalNanos = request.ratePerSecond() > 0 ? (long) (1e9 / request.ratePerSecond()) : 0;
        try (KafkaProducer<byte[], byte[]> producer = clients.producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000, ProducerConfig.CLIENT_ID_CONFIG, "ballast-replay-" + replayId))) {
            ReplayRecords records = new ReplayRecords(request.toTopic(), replayId);
            try (ReadAhead events = new ReadAhead(store, request)) {
                for (List<StoredEvent> batch = events.next(); !batch.isEmpty(); batch = events.next()) {
                    for (StoredEvent e : batch) {
                        scanned++;
                        if (!request.selects(e.stream(), e.type(), e.position()) || e.stream().startsWith(REFUSED_PREFIX)) {
                            continue;
                        }
                        if (intervalNanos > 0) {
                            // pace to the requested rate: the next record is due at start + n × interval
                            long wait = start + sent * intervalNanos - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                        }
                        sent++;
                        producer.send(records.of(e), (metadata, error) -> {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failures.put(e.position(), Failures.describe(error));
                            }
                        });
                    }
                }
            }
            // flush returns once every send is answered, and a send's callback runs before its answer counts
            producer.flush();
        }
        if (!failures.isEmpty()) {
            Map.Entry<Long, String> first = failures.entrySet().iterator().next();
            throw new ReplayFailedException(replayId, acknowledged.get(), sent, first.getKey(), first.getValue());
        }
        return new Result(replayId, acknowledged.get(), scanned, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Creates the replay topic if it is missing (6 partitions, no time-based retention): a replay's output is a topic of its
     * own, and its records carry their original event times, which a retention of days would delete at once.
     */
    private static void ensureTopic(KafkaClients clients, String topic) {
        try (Admin admin = clients.admin()) {
            if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(6), Optional.empty())
                        .configs(Map.of("retention.ms", "-1")))).all().get(15, TimeUnit.SECONDS);
                io.ballast.catalog.TopicInitializer.awaitWritable(admin, List.of(topic));
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create the replay topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("could not create the replay topic " + topic + ": " + e, e);
        }
    }

    /**
     * The range's events, read in one pass over the store's time index and log and decoded on a thread of their own, a few
     * batches ahead of the sends: reading and sending each take a core's share, and overlap.
     */
    private static final class ReadAhead implements AutoCloseable {
        private static final int BATCH = 1024;
        private final BlockingQueue<List<StoredEvent>> batches = new ArrayBlockingQueue<>(8);
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final Thread reader;
        private volatile boolean closed;
        /** The batch the reader fills (its thread only). */
        private List<StoredEvent> filling = new ArrayList<>(BATCH);

        ReadAhead(EventStore store, ReplayRequest request) {
            reader = new Thread(() -> read(store, request), "ballast-replay-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** On the reader thread: the range in batches, then an empty batch (after a failure too, which {@link #next} throws). */
        private void read(EventStore store, ReplayRequest request) {
            try {
                store.scanTime(request.from(), request.to(), request.below(), e -> {
                    filling.add(e);
                    if (filling.size() == BATCH) {
                        put(filling);
                        filling = new ArrayList<>(BATCH);
                    }
                });
                if (!filling.isEmpty()) {
                    put(filling);
                }
            } catch (Closed e) {
                return;
            } catch (RuntimeException e) {
                failure.set(e);
            }
            try {
                put(List.of());
            } catch (Closed e) {
                // nobody takes it any more
            }
        }

        /** The next batch; empty at the end of the range. A failed read fails here. */
        List<StoredEvent> next() {
            try {
                List<StoredEvent> batch = batches.take();
                if (batch.isEmpty() && failure.get() != null) {
                    throw failure.get();
                }
                return batch;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while replaying", e);
            }
        }

        private void put(List<StoredEvent> batch) {
            try {
                while (!batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        throw new Closed();
                    }
                }
            } catch (InterruptedException e) {
                throw new Closed();
            }
        }

        /** Stops the reader (the sends failed or ended early) and waits for it: the store is not closed under it. */
        @Override
        public void close() {
            closed = true;
            try {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The sends stopped taking batches. */
        private static final class Closed extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Closed() {
                super(null, null, false, false);
            }
        }
    }
}

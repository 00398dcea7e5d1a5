package io.ballast.store.replay;

import io.ballast.client.KafkaClients;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.ballast.supervise.Failures;

import java.time.Duration;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Re-publishes a range of history: each selected event with its bytes, its key (the stream's subject), its
 * original event time as the record timestamp, its original headers and the replay's headers
 * ({@code ballast.replay.id}, {@code ballast.replay.position}, {@code ballast.replay.source-topic}). An event counts
 * as published once Kafka acknowledged it; if any send fails the replay fails ({@link ReplayFailedException}) and says
 * how many were acknowledged.
 */
public final class Replayer {
    public static final String REPLAY_ID = "ballast.replay.id";
    public static final String POSITION = "ballast.replay.position";
    public static final String SOURCE_TOPIC = "ballast.replay.source-topic";
    private static final int PAGE = 5000;
    private static final String ORIGINAL_KEY = KafkaIngest.KEY_HEADER;
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
            Instant from = request.from();
            long fromPosition = 0;
            while (true) {
                List<StoredEvent> page = store.readTime(from, fromPosition, request.to(), PAGE);
                for (StoredEvent e : page) {
                    scanned++;
                    if (!request.selects(e.stream(), e.type()) || e.stream().startsWith(REFUSED_PREFIX)) {
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
                    producer.send(record(request.toTopic(), e, replayId), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                        } else {
                            failures.put(e.position(), Failures.describe(error));
                        }
                    });
                }
                if (page.size() < PAGE) {
                    break;
                }
                StoredEvent last = page.get(page.size() - 1);
                from = last.occurredAt();
                fromPosition = last.position() + 1;
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

    /** Creates the replay topic if it is missing (6 partitions, 7 days): a replay's output is a topic of its own. */
    private static void ensureTopic(KafkaClients clients, String topic) {
        try (Admin admin = clients.admin()) {
            if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(6), Optional.empty())
                        .configs(Map.of("retention.ms", Long.toString(Duration.ofDays(7).toMillis()))))).all().get(15, TimeUnit.SECONDS);
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

    private static ProducerRecord<byte[], byte[]> record(String topic, StoredEvent e, String replayId) {
        RecordHeaders headers = new RecordHeaders();
        e.headers().forEach((name, value) -> {
            if (!name.equals(ORIGINAL_KEY)) {
                headers.add(name, value);
            }
        });
        headers.add(REPLAY_ID, replayId.getBytes(StandardCharsets.UTF_8));
        headers.add(POSITION, Long.toString(e.position()).getBytes(StandardCharsets.UTF_8));
        if (e.origin() != null) {
            headers.add(SOURCE_TOPIC, e.origin().topic().getBytes(StandardCharsets.UTF_8));
        }
        int slash = e.stream().indexOf('/');
        byte[] original = e.headers().get(ORIGINAL_KEY);
        byte[] key = original != null ? original : (slash >= 0 ? e.stream().substring(slash + 1) : e.stream()).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, e.occurredAt().toEpochMilli(), key, e.data(), headers);
    }
}

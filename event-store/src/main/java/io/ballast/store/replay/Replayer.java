package io.ballast.store.replay;

import io.ballast.catalog.ReplayHeaders;
import io.ballast.client.KafkaClients;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
            long[] counts = new long[2];
            // one pass over the range: a page at a time re-read each event by a point read and restarted its scan
            store.scanTime(request.from(), request.to(), request.below(), e -> {
                counts[0]++;
                if (!request.selects(e.stream(), e.type(), e.position()) || e.stream().startsWith(REFUSED_PREFIX)) {
                    return;
                }
                if (intervalNanos > 0) {
                    // pace to the requested rate: the next record is due at start + n × interval
                    long wait = start + counts[1] * intervalNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                counts[1]++;
                producer.send(record(request.toTopic(), e, replayId), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failures.put(e.position(), Failures.describe(error));
                    }
                });
            });
            scanned = counts[0];
            sent = counts[1];
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

    private static ProducerRecord<byte[], byte[]> record(String topic, StoredEvent e, String replayId) {
        RecordHeaders headers = new RecordHeaders();
        e.headers().forEach((name, value) -> {
            if (!name.equals(ORIGINAL_KEY)) {
                headers.add(name, value);
            }
        });
        headers.add(REPLAY_ID, replayId.getBytes(StandardCharsets.UTF_8));
        headers.add(POSITION, Long.toString(e.position()).getBytes(StandardCharsets.UTF_8));
        headers.add(TYPE, e.type().getBytes(StandardCharsets.UTF_8));
        if (e.origin() != null) {
            headers.add(SOURCE_TOPIC, e.origin().topic().getBytes(StandardCharsets.UTF_8));
            headers.add(SOURCE_PARTITION, Integer.toString(e.origin().partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(SOURCE_OFFSET, Long.toString(e.origin().offset()).getBytes(StandardCharsets.UTF_8));
        }
        int slash = e.stream().indexOf('/');
        byte[] original = e.headers().get(ORIGINAL_KEY);
        byte[] key = original != null ? original : (slash >= 0 ? e.stream().substring(slash + 1) : e.stream()).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, e.occurredAt().toEpochMilli(), key, e.data(), headers);
    }
}

package io.ballast.store.kafka;

import io.ballast.client.KafkaClients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryException;
import io.ballast.serde.EventDecoder;
import io.ballast.store.EventStore;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives every {@code ballast.*} topic but the replay topics ({@code ballast.replay.*}) and jobs' internal topics ({@code ballast.internal.*}) into the store,
 * exactly once: the consumer is assigned every partition by hand (no group), starts from the offsets the
 * store holds, and each poll's records go into one store batch together with the offsets to resume from.
 * A crash anywhere either loses the whole batch (and its offsets, so it is read again) or keeps it whole.
 * Reads {@code read_committed}, so the aborted output of exactly-once jobs is never archived.
 */
public final class KafkaIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngest.class);
    public static final Pattern ARCHIVED = Pattern.compile("ballast\\.(?!replay\\.|internal\\.).+");
    private static final Duration DISCOVERY = Duration.ofSeconds(5);

    private final EventStore store;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventDecoder<GenericRecord> decoder;
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** The offsets the store holds, as last written: only a position that moved is written again. */
    private final Map<String, Long> positions = new HashMap<>();
    private volatile boolean running = true;
    private volatile long archived;
    private long lastDiscovery;

    public KafkaIngest(EventStore store, KafkaClients clients, RegistryClient registry) {
        this.store = store;
        this.decoder = EventDecoder.generic(registry);
        this.consumer = clients.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "ballast-store-ingest"));
        this.thread = new Thread(this::run, "ballast-store-ingest");
    }

    public KafkaIngest start() {
        thread.start();
        return this;
    }

    /** Events archived by this ingest since it started (duplicates skipped not counted). */
    public long archived() {
        return archived;
    }

    private void run() {
        try {
            while (running) {
                discover();
                if (assigned.isEmpty()) {
                    consumer.poll(Duration.ofMillis(200));
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                archive(records);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("ingest stopped: {}", e.toString(), e);
        } finally {
            consumer.close();
        }
    }

    private void archive(ConsumerRecords<byte[], byte[]> records) {
        List<EventStore.Archived> batch = new ArrayList<>(records.count());
        Map<String, Long> next = new HashMap<>();
        try {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                batch.add(ArchivedRecords.of(r, decoder));
                next.put(r.topic() + ":" + r.partition(), r.offset() + 1);
            }
        } catch (RegistryException e) {
            // the registry is down, not the records' fault: read them again once it is back
            LOG.warn("schema registry unavailable ({}); re-reading the batch", e.getMessage());
            for (TopicPartition tp : records.partitions()) {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
            return;
        }
        // transaction markers leave gaps, and a poll that only passed markers returns nothing: resume from
        // the consumer's position wherever it moved, so the store's offsets reach the end offsets
        for (TopicPartition tp : assigned) {
            String key = tp.topic() + ":" + tp.partition();
            long position = consumer.position(tp);
            if (position != positions.getOrDefault(key, -1L)) {
                next.put(key, position);
            }
        }
        if (batch.isEmpty() && next.isEmpty()) {
            return;
        }
        archived += store.archive(batch, next);
        positions.putAll(next);
    }

    /** Assigns partitions of new matching topics (or new partitions), starting from the store's offsets. */
    private void discover() {
        long now = System.nanoTime();
        if (now - lastDiscovery < DISCOVERY.toNanos() && !assigned.isEmpty()) {
            return;
        }
        lastDiscovery = now;
        Set<TopicPartition> found = new HashSet<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(Duration.ofSeconds(10)).entrySet()) {
            if (ARCHIVED.matcher(topic.getKey()).matches()) {
                topic.getValue().forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        if (found.equals(assigned)) {
            return;
        }
        Set<TopicPartition> added = new HashSet<>(found);
        added.removeAll(assigned);
        consumer.assign(found);
        Map<String, Long> offsets = store.offsets();
        positions.putAll(offsets);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : added) {
            Long offset = offsets.get(tp.topic() + ":" + tp.partition());
            if (offset == null) {
                fromStart.add(tp);
            } else {
                consumer.seek(tp, offset);
            }
        }
        consumer.seekToBeginning(fromStart);
        assigned.clear();
        assigned.addAll(found);
        LOG.info("archiving {} partitions", assigned.size());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.ballast.store.kafka;

import io.ballast.client.KafkaClients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.ballast.registry.RegistryClient;
import io.ballast.supervise.Backoff;
import io.ballast.supervise.LoopStatus;
import io.ballast.supervise.SupervisedLoop;
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
    /** The header that keeps a record's original key when a stream name cannot hold it; a replay gives it back. */
    public static final String KEY_HEADER = ArchivedRecords.KEY_HEADER;
    /** Streams of refused-record entries ({@code ballast.store.refused/<topic>}): they describe a record, a replay skips them. */
    public static final String REFUSED_PREFIX = ArchivedRecords.REFUSED_PREFIX;

    private final EventStore store;
    private final KafkaClients clients;
    private final EventDecoder<GenericRecord> decoder;
    private final SupervisedLoop loop;
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** The offsets the store holds, as last written: only a position that moved is written again. */
    private final Map<String, Long> positions = new HashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** Counted as each batch becomes durable (on the committer's thread), so the figure never lags the store. */
    private final AtomicLong archived = new AtomicLong();
    /** The batch handed to the store and not yet known durable: at most one, written while the next is decoded. */
    private CompletableFuture<Integer> inFlight;
    private volatile long refused;
    private long lastDiscovery;

    public KafkaIngest(EventStore store, KafkaClients clients, RegistryClient registry) {
        this(store, clients, registry, Backoff.DEFAULT, status -> { });
    }

    /** @param onFailure told of every failure of the ingest loop (it is restarted after {@code backoff}) */
    public KafkaIngest(EventStore store, KafkaClients clients, RegistryClient registry, Backoff backoff, Consumer<LoopStatus> onFailure) {
        this.store = store;
        this.clients = clients;
        this.decoder = ArchivedRecords.envelopeDecoder(registry);
        this.loop = new SupervisedLoop("store-ingest", new SupervisedLoop.Body() {
            @Override
            public void run(BooleanSupplier running) {
                session(running);
            }

            @Override
            public void wakeup() {
                KafkaConsumer<byte[], byte[]> c = consumer;
                if (c != null) {
                    c.wakeup();
                }
            }
        }, backoff, onFailure);
    }

    public KafkaIngest start() {
        loop.start();
        return this;
    }

    /** Events archived by this ingest since it started (duplicates skipped not counted). */
    public long archived() {
        return archived.get();
    }

    /** Records kept as refused-record entries since it started (the store could not take them as they were). */
    public long refused() {
        return refused;
    }

    public LoopStatus status() {
        return loop.status();
    }

    /**
     * One run: a fresh consumer positioned at the store's offsets, archiving until stopped or until something
     * fails (then the supervisor starts another run after its backoff: the store's offsets say where to resume,
     * so a failed run loses and repeats nothing).
     */
    private void session(BooleanSupplier running) {
        assigned.clear();
        positions.clear();
        inFlight = null;
        lastDiscovery = 0;
        consumer = clients.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "ballast-store-ingest"));
        try {
            while (running.getAsBoolean()) {
                discover();
                if (assigned.isEmpty()) {
                    // no ballast.* topic yet: look again in half a second
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
                    continue;
                }
                archive(consumer.poll(Duration.ofMillis(200)));
            }
            settle();
        } catch (WakeupException e) {
            if (running.getAsBoolean()) {
                throw e;
            }
        } finally {
            consumer.close(java.time.Duration.ofSeconds(5));
            consumer = null;
        }
    }

    private void archive(ConsumerRecords<byte[], byte[]> records) {
        List<EventStore.Archived> batch = new ArrayList<>(records.count());
        Map<String, Long> next = new HashMap<>();
        long refusedHere = 0;
        // a registry that cannot be reached throws here (RegistryException): the run ends and the next one reads
        // the same records again, from the store's offsets, once the registry answers
        for (ConsumerRecord<byte[], byte[]> r : records) {
            EventStore.Archived a = ArchivedRecords.acceptable(r, decoder, store::archiveRefusal);
            if (a.stream().startsWith(ArchivedRecords.REFUSED_PREFIX)) {
                refusedHere++;
                LOG.warn("{}:{} offset {} kept as a refused-record entry: {}", r.topic(), r.partition(), r.offset(),
                        new String(a.event().data(), java.nio.charset.StandardCharsets.UTF_8));
            }
            batch.add(a);
            next.put(r.topic() + ":" + r.partition(), r.offset() + 1);
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
        // the previous poll's batch was being written while this one was decoded: it must be durable before
        // this one goes (a later batch written after an earlier one failed would skip its records)
        settle();
        if (batch.isEmpty() && next.isEmpty()) {
            return;
        }
        inFlight = store.archiveAsync(batch, next);
        inFlight.thenAccept(archived::addAndGet);
        refused += refusedHere;
        positions.putAll(next);
    }

    /** Waits for the batch in flight, if any: throws its failure (the run ends and the next resumes from the store). */
    private void settle() {
        CompletableFuture<Integer> written = inFlight;
        inFlight = null;
        if (written != null) {
            EventStore.await(written);
        }
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
        // the store's offsets must include the batch in flight before they are read
        settle();
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
        loop.close();
    }
}

package io.ballast.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.ballast.bench.report.Backlog;
import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.Reference;
import io.ballast.bench.report.Scale;
import io.ballast.bench.report.Spread;
import io.ballast.bench.report.Suite;
import io.ballast.catalog.Topics;
import io.ballast.embedded.KafkaReference;
import io.ballast.events.Action;
import io.ballast.store.EventStore;
import io.ballast.store.StoreSettings;
import io.ballast.store.kafka.KafkaIngest;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The store's Kafka ingest ({@link KafkaIngest}: read_committed consumer, decode, index, Merkle log, synced
 * batches) archiving a backlog of action events into an empty store, beside a raw KafkaConsumer reading the same
 * records, interleaved; and the bytes on disk per archived event after full compaction beside the encoded size.
 */
public final class ArchiveBench implements Bench<BenchPlatform> {
    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "archive";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        int n = scale.pick(100_000, 2_000_000);
        List<Action> actions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            actions.add(Actions.action(i));
        }
        List<ProducerRecord<byte[], byte[]>> records = Backlog.encode(platform, Topics.ACTIONS.name(), actions);
        actions.clear();
        double encoded = records.stream().mapToLong(r -> r.value().length).average().orElseThrow();
        KafkaReference.produce(platform.kafka().bootstrapServers(), records);
        records.clear();
        List<Double> ingest = new ArrayList<>();
        List<Double> consumer = new ArrayList<>();
        List<Double> bytes = new ArrayList<>();
        Map<String, Object> byFamily = new java.util.LinkedHashMap<>();
        for (int r = 0; r < scale.rounds(); r++) {
            Archive archived = ingest(platform, platform.directory("archive-" + runs.incrementAndGet()), n);
            ingest.add(archived.eventsPerSecond());
            bytes.add(archived.bytesPerEvent());
            byFamily.clear();
            byFamily.putAll(archived.familyBytesPerEvent());
            consumer.add((double) KafkaReference.consume(platform.kafka().bootstrapServers(), Topics.ACTIONS.name(), n,
                    rec -> rec.value().length).recordsPerSecond());
        }
        Suite.progress("archive: " + ingest + " events/s, raw consumer " + consumer + ", bytes/event " + bytes);
        String workload = n + " Action events (" + Math.round(encoded) + " bytes encoded on average) waiting in ballast.actions (6 partitions)";
        return List.of(
                new Figure("store.archiveIngest.eventsPerSecond", "events/s", new Spread(ingest),
                        new Reference("kafka.rawConsumer.recordsPerSecond", new Spread(consumer),
                                "KafkaConsumer<byte[], byte[]> reading the same records from the start, max.poll.records 5000"),
                        Goal.ratioAtLeast(0.5), workload + "; KafkaIngest into an empty store, from start() to every event archived", Map.of()),
                new Figure("store.bytesOnDiskPerArchivedEvent", "bytes", new Spread(bytes),
                        new Reference("event.encodedBytes", Spread.of(encoded, encoded, encoded), "the average wire-format size of the events"),
                        Goal.ratioAtMost(1.0), workload + "; the store's directory after full compaction (indexes, Merkle nodes, Kafka "
                        + "origins, tree heads included) divided by the events",
                        Map.of("sstBytesPerEventByColumnFamily", byFamily)));
    }

    /** One round: events per second, and after compaction the bytes on disk per event, in all and by column family. */
    private record Archive(double eventsPerSecond, double bytesPerEvent, Map<String, Double> familyBytesPerEvent) {
    }

    private static Archive ingest(BenchPlatform platform, Path dir, int n) throws IOException {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            long start = System.nanoTime();
            try (KafkaIngest ingest = new KafkaIngest(store, platform.clients(), platform.registryClient()).start()) {
                long deadline = start + 20L * 60 * 1_000_000_000L;
                while (ingest.archived() < n) {
                    if (System.nanoTime() > deadline || ingest.refused() > 0) {
                        throw new IllegalStateException("ingest archived " + ingest.archived() + " of " + n + ", refused " + ingest.refused());
                    }
                    LockSupport.parkNanos(5_000_000);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            store.compact();
            Map<String, Double> byFamily = new java.util.LinkedHashMap<>();
            store.familyBytes().forEach((family, b) -> byFamily.put(family, Math.round(b * 10.0 / store.size()) / 10.0));
            return new Archive(store.size() / seconds, size(dir) / (double) store.size(), byFamily);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}

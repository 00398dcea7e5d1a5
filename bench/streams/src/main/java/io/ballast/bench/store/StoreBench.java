package io.ballast.bench.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.KafkaReference;
import io.ballast.embedded.TempDirs;
import io.ballast.events.Action;
import io.ballast.events.ActionOutcome;
import io.ballast.events.Envelope;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventSerializer;
import io.ballast.store.EventStore;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.NewEvent;
import io.ballast.store.Origin;
import io.ballast.store.StoreSettings;
import io.ballast.store.replay.ReplayRequest;
import io.ballast.store.replay.Replayer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The event store's figures, as a JSON report, each beside its reference from the same run: append
 * throughput at durable sync (group commit, concurrent clients) beside raw RocksDB synced writes (one per
 * event, and batched); bytes on disk per archived action event after compaction (seed target: 10M actions
 * with audit trails in about 21 GB, 2,100 bytes each); replay throughput beside a raw KafkaProducer and
 * KafkaConsumer on the same records. Arguments: {@code events=10000000 appends=200000 clients=16 replay=1000000 out=FILE}.
 */
public final class StoreBench {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("events", "10000000", "appends", "200000", "clients", "16",
                "replay", "1000000", "out", "bench/target/store.json"));
        Arrays.stream(args).map(s -> s.split("=", 2)).forEach(kv -> a.put(kv[0], kv[1]));
        Path work = TempDirs.createDeletedOnExit("ballast-bench-store");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "event-store");
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version")));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, 0);
             ApicurioRegistry registry = ApicurioRegistry.start(work.resolve("registry"), 0, false)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                new TopicInitializer(admin, (short) 1).ensure(List.of(Topics.ACTIONS));
            }
            EventSerializer<Action> serializer = new EventSerializer<>(RegistryClient.connect(RegistryConfig.of(registry.url())));
            int appends = Integer.parseInt(a.get("appends"));
            int clients = Integer.parseInt(a.get("clients"));
            byte[] sample = action(serializer, 0);
            report.put("append", appendThroughput(work.resolve("append"), appends, clients, serializer));
            progress("appends measured");
            report.put("rawRocksDbReference", rawRocksDb(work.resolve("raw"), Math.min(appends, 20_000), sample));
            progress("raw RocksDB measured");
            long events = Long.parseLong(a.get("events"));
            report.put("archive", archive(work.resolve("archive"), events, serializer));
            progress("archive of " + events + " events measured");
            report.put("replay", replay(work.resolve("archive"), Integer.parseInt(a.get("replay")), kafka));
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path out = Path.of(a.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writeValueAsString(report));
        System.out.println(json.writeValueAsString(report));
        System.exit(0);
    }

    private static byte[] action(EventSerializer<Action> serializer, long i) {
        Instant at = T0.plusMillis(i * 100);
        String target = "svc-" + (i % 500);
        Action action = Action.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.nameUUIDFromBytes(("bench/" + i).getBytes(StandardCharsets.UTF_8)))
                        .setType("Action").setSource("bench").setSubject(target).setOccurredAt(at).setRecordedAt(at)
                        .setCorrelationId("corr-" + (i / 10)).build())
                .setActor("deployer-" + (i % 20)).setAction(i % 3 == 0 ? "deploy" : i % 3 == 1 ? "scale" : "restart").setTarget(target)
                .setOutcome(ActionOutcome.SUCCEEDED).setAttributes(Map.of("version", "1." + (i % 50), "replicas", Long.toString(i % 12)))
                .build();
        return serializer.serialize(Topics.ACTIONS.name(), action);
    }

    /** Concurrent clients each appending one event at a time to their own stream, durably: group commit shares the syncs. */
    private static Map<String, Object> appendThroughput(Path dir, int appends, int clients, EventSerializer<Action> serializer) throws Exception {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < appends / clients; i++) {
                        long n = (long) client * appends + i;
                        store.append("client-" + client, new ExpectedVersion.Exact(i - 1), List.of(NewEvent.of(
                                UUID.nameUUIDFromBytes(("append/" + n).getBytes(StandardCharsets.UTF_8)), "Action", T0.plusMillis(n),
                                action(serializer, n))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            long n = store.size();
            return Map.of("events", n, "clients", clients, "eventsPerSecond", Math.round(n / seconds), "syncs", store.commits(),
                    "eventsPerSync", Math.round(n * 10.0 / store.commits()) / 10.0, "seconds", round(seconds),
                    "note", "each append acknowledged only once its batch is synced (WAL fsync); one event per append");
        }
    }

    /** The same record bytes into a bare RocksDB with sync on: one write per event, then batches of 1,000. */
    private static Map<String, Object> rawRocksDb(Path dir, int events, byte[] value) throws Exception {
        Files.createDirectories(dir);
        try (Options options = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(options, dir.toString());
             WriteOptions sync = new WriteOptions().setSync(true)) {
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                db.put(sync, ("single-" + i).getBytes(StandardCharsets.UTF_8), value);
            }
            double single = (System.nanoTime() - start) / 1e9;
            int batched = events * 10;
            start = System.nanoTime();
            for (int b = 0; b < batched / 1000; b++) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = 0; i < 1000; i++) {
                        batch.put(("batch-" + b + "-" + i).getBytes(StandardCharsets.UTF_8), value);
                    }
                    db.write(sync, batch);
                }
            }
            double batches = (System.nanoTime() - start) / 1e9;
            return Map.of("syncedPutPerEventPerSecond", Math.round(events / single), "syncedBatchOf1000PerSecond", Math.round(batched / batches),
                    "valueBytes", value.length, "note", "one key-value per event, no indexes, no Merkle log");
        }
    }

    /** Action events archived as ingest does (batches of 5,000, synced, with their origin and headers), then compacted and measured. */
    private static Map<String, Object> archive(Path dir, long events, EventSerializer<Action> serializer) throws IOException {
        long start = System.nanoTime();
        long payloadBytes = 0;
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            Random random = new Random(1);
            for (long from = 0; from < events; from += 5000) {
                List<EventStore.Archived> batch = new ArrayList<>(5000);
                for (long i = from; i < Math.min(events, from + 5000); i++) {
                    byte[] value = action(serializer, i);
                    payloadBytes += value.length;
                    batch.add(new EventStore.Archived("ballast.actions/svc-" + (i % 500), new NewEvent(
                            UUID.nameUUIDFromBytes(("bench/" + i).getBytes(StandardCharsets.UTF_8)), "Action", T0.plusMillis(i * 100), value,
                            Map.of("traceparent", ("00-" + Long.toHexString(random.nextLong()) + "-01").getBytes(StandardCharsets.UTF_8)),
                            new Origin(Topics.ACTIONS.name(), (int) (i % 6), i / 6))));
                }
                store.archive(batch, Map.of(Topics.ACTIONS.name() + ":0", from + batch.size()));
                if (from % 1_000_000 == 0) {
                    progress("archived " + from);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            store.compact();
            long bytes = size(dir);
            return Map.of("events", store.size(), "eventsPerSecond", Math.round(store.size() / seconds), "seconds", round(seconds),
                    "bytesOnDisk", bytes, "bytesPerEvent", round((double) bytes / store.size()),
                    "payloadBytesPerEvent", round((double) payloadBytes / store.size()),
                    "seedTargetBytesPerEvent", 2100, "note", "after flush and full compaction; every index, the Merkle nodes "
                            + "(about 2 per event) and the Kafka origin included; ZSTD at the bottom level");
        }
    }

    /** Replay a range to a topic, beside the raw producer and consumer on the same number of records. */
    private static Map<String, Object> replay(Path dir, int events, EmbeddedKafka kafka) throws Exception {
        try (EventStore store = EventStore.open(dir, StoreSettings.DEFAULTS)) {
            Replayer.Result result = Replayer.replay(store, new ReplayRequest(T0, T0.plusMillis(events * 100L), null, null,
                    "ballast.replay.bench", 0), new io.ballast.client.KafkaClients(io.ballast.client.ClientConfig.defaults().with("bootstrap.servers", kafka.bootstrapServers())));
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events);
            store.readAll(0, events).forEach(e -> records.add(new ProducerRecord<>("ballast.replay.reference", null,
                    e.occurredAt().toEpochMilli(), e.stream().getBytes(StandardCharsets.UTF_8), e.data())));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("ballast.replay.reference", 6, (short) 1))).all().get();
            }
            KafkaReference.Figures producer = KafkaReference.produce(kafka.bootstrapServers(), records);
            KafkaReference.Figures consumer = KafkaReference.consume(kafka.bootstrapServers(), "ballast.replay.bench", result.published(),
                    r -> r.value().length);
            return Map.of("events", result.published(), "eventsPerSecond", result.perSecond(), "seconds", round(result.seconds()),
                    "kafkaProducerReference", Map.of("recordsPerSecond", producer.recordsPerSecond()),
                    "kafkaConsumerReference", Map.of("recordsPerSecond", consumer.recordsPerSecond(), "records", consumer.records()),
                    "note", "store read by event time + idempotent producer (acks=all, lz4) to a 6-partition topic");
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void progress(String what) {
        System.err.println("[store bench] " + what);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

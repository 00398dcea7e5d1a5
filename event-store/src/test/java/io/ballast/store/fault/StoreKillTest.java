package io.ballast.store.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.store.EventStore;
import io.ballast.store.StoreAudit;
import io.ballast.store.StoreSettings;
import io.ballast.store.StoredEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's process killed with SIGKILL at 20 random points while it appends from four threads and archives
 * a topic that is being produced to: after each kill the reopened store holds every acknowledged append at its
 * acknowledged position, each stream without a gap, and the Merkle log and every checksum verify; once
 * production stops, one more run archives the rest and the topic's every offset is in the store exactly once
 * (ingest resumed from the offsets it stored with no gap and no duplicate). Prints the kill points and how
 * long each reopen took.
 */
@WithKafka
class StoreKillTest {
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void killedAtTwentyRandomPointsItLosesNoAcknowledgedAppendAndArchivesEveryOffsetOnce(EmbeddedKafka kafka) throws Exception {
        String topic = "ballast.kill-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        Path storeDir = dir.resolve("store");
        Random random = new Random(20261204L);
        Map<UUID, Long> acknowledged = new HashMap<>();
        AtomicLong produced = new AtomicLong();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produce(kafka, topic, produced, producing), "kill-test-producer");
        producer.start();
        List<Long> reopenMillis = new ArrayList<>();
        List<Integer> killPoints = new ArrayList<>();
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                int ackBeforeKill = 20 + random.nextInt(400);
                killPoints.add(ackBeforeKill);
                reopenMillis.add(runAndKill(storeDir, kafka, topic, acknowledged, ackBeforeKill, Long.MAX_VALUE));
                checkAcknowledged(storeDir, acknowledged);
            }
        } finally {
            producing.set(false);
            producer.join(30_000);
        }
        // one last run, until ingest reached every record produced, then killed too
        long records = produced.get();
        runAndKill(storeDir, kafka, topic, acknowledged, -1, records);
        checkAcknowledged(storeDir, acknowledged);
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            Map<String, Integer> seen = new HashMap<>();
            for (StoredEvent e : store.readAll(0, Integer.MAX_VALUE)) {
                if (e.origin() != null && e.origin().topic().equals(topic)) {
                    seen.merge(e.origin().partition() + "@" + e.origin().offset(), 1, Integer::sum);
                }
            }
            assertEquals(records, seen.size(), "every produced record archived");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "an offset archived twice");
            Map<String, Long> offsets = store.offsets();
            long ends = 0;
            for (int p = 0; p < 3; p++) {
                long next = offsets.getOrDefault(topic + ":" + p, 0L);
                for (long o = 0; o < next; o++) {
                    assertEquals(1, seen.getOrDefault(p + "@" + o, 0), "offset " + o + " of partition " + p);
                }
                ends += next;
            }
            assertEquals(records, ends);
        }
        System.out.printf("store SIGKILL x%d at acknowledgements %s: %d appends acknowledged, 0 lost, %d records archived once; "
                + "reopen took %s ms%n", KILLS, killPoints, acknowledged.size(), records, reopenMillis);
    }

    /**
     * Runs the child until it acknowledged {@code acks} appends (or, with {@code acks} -1, until the store holds
     * {@code offsets} offsets of the topic), kills it, and returns how long it took to open the store.
     */
    private long runAndKill(Path storeDir, EmbeddedKafka kafka, String topic, Map<UUID, Long> acknowledged, int acks, long offsets)
            throws Exception {
        // its own temporary directory, deleted with the test's: a killed JVM leaves what it extracted there (RocksDB's 15 MB library)
        Path childTmp = Files.createDirectories(storeDir.resolveSibling("child-tmp"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Djava.io.tmpdir=" + childTmp, "-cp", System.getProperty("java.class.path"), StoreKillChild.class.getName(),
                storeDir.toString(), kafka.bootstrapServers(), topic)
                .redirectErrorStream(true).start();
        long opened = -1;
        int seen = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("OPENED ")) {
                    opened = Long.parseLong(line.substring(7));
                } else if (line.startsWith("OFFSETS ") && acks < 0 && Long.parseLong(line.substring(8)) >= offsets) {
                    break;
                } else if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    acknowledged.put(UUID.fromString(parts[1]), Long.parseLong(parts[2]));
                    seen++;
                    if (seen == acks) {
                        break;
                    }
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, mid-append and mid-archive
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL (the child did not fail by itself)");
        assertTrue(opened >= 0, "the child never opened the store");
        return opened;
    }

    private static void checkAcknowledged(Path storeDir, Map<UUID, Long> acknowledged) {
        try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
            acknowledged.forEach((id, position) -> {
                assertEquals(position, store.positionOf(id).orElseThrow(() -> new AssertionError("lost acknowledged append " + id)));
                assertEquals(id, store.read(position).eventId());
            });
            StoreAudit.Report report = StoreAudit.verify(store, null);
            assertTrue(report.ok(), report.problems().toString());
            for (int t = 0; t < 4; t++) {
                List<StoredEvent> stream = store.readStream("kill-" + t, 0, true, Integer.MAX_VALUE);
                for (int v = 0; v < stream.size(); v++) {
                    assertEquals(v, stream.get(v).version(), "a gap in kill-" + t);
                }
            }
        }
    }

    private static void produce(EmbeddedKafka kafka, String topic, AtomicLong produced, AtomicBoolean producing) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; producing.get(); i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i % 97).getBytes(StandardCharsets.UTF_8),
                        ("record " + i).getBytes(StandardCharsets.UTF_8))).get();
                produced.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

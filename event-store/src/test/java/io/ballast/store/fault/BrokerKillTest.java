package io.ballast.store.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.BrokerProcess;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.Await;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.store.EventStore;
import io.ballast.store.StoreSettings;
import io.ballast.store.StoredEvent;
import io.ballast.store.kafka.KafkaIngest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's process killed with SIGKILL and started again (same ports, same data) while an idempotent
 * producer sends and the store's ingest archives: every record whose send was acknowledged (its callback said
 * so) is archived exactly once, read {@code read_committed}; ingest's supervisor brings it back by itself.
 * Prints how long the broker took to come back and how long until everything acknowledged was archived.
 */
class BrokerKillTest {
    private static final int RECORDS = 6000;

    @TempDir
    Path dir;

    @Test
    void killedWhileProducersAndIngestRunNothingAcknowledgedIsLostOrDuplicated() throws Exception {
        int port = FreePort.find();
        int controller = FreePort.find();
        String bootstrap = "127.0.0.1:" + port;
        BrokerProcess broker = BrokerProcess.start(dir.resolve("kafka"), port, controller);
        String topic = "ballast.broker-kill";
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, String> failed = new ConcurrentHashMap<>();
        KafkaClients clients = new KafkaClients(ClientConfig.defaults().with("bootstrap.servers", bootstrap));
        try (Admin admin = clients.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        long restarted;
        long recovered;
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS);
             KafkaIngest ingest = new KafkaIngest(store, clients, RegistryClient.connect(RegistryConfig.of("mock://broker-kill")));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            ingest.start();
            CountDownLatch answered = new CountDownLatch(RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                int n = i;
                producer.send(new ProducerRecord<>(topic, ("k" + n % 31).getBytes(StandardCharsets.UTF_8),
                        ("record " + n).getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
                            if (error == null) {
                                acknowledged.add(n);
                            } else {
                                failed.put(n, error.toString());
                            }
                            answered.countDown();
                        });
                if (i == RECORDS / 2) {
                    Await.until("a part acknowledged before the kill", Duration.ofSeconds(60), () -> acknowledged.size() > RECORDS / 4);
                    broker.kill(); // SIGKILL mid-stream
                    long down = System.nanoTime();
                    broker = BrokerProcess.start(dir.resolve("kafka"), port, controller);
                    restarted = System.nanoTime() - down;
                    System.out.printf("broker SIGKILL: back in %d ms%n", restarted / 1_000_000);
                }
            }
            assertTrue(answered.await(200, TimeUnit.SECONDS), answered.getCount() + " sends never answered");
            long allAcked = System.nanoTime();
            Await.until("every acknowledged record archived", Duration.ofSeconds(120), () -> archived(store, topic).size() >= acknowledged.size());
            recovered = System.nanoTime() - allAcked;
            List<StoredEvent> archived = archived(store, topic);
            Map<String, Long> copies = new java.util.HashMap<>();
            archived.forEach(e -> copies.merge(new String(e.data(), StandardCharsets.UTF_8), 1L, Long::sum));
            for (int n : acknowledged) {
                assertEquals(1L, copies.getOrDefault("record " + n, 0L), "record " + n + " archived once");
            }
            assertTrue(copies.values().stream().allMatch(c -> c == 1), "a record archived twice");
            System.out.printf("broker SIGKILL: %d records acknowledged, 0 lost, 0 duplicated (%d sends failed and were not "
                    + "acknowledged); ingest restarted %d times, caught up %d ms after the last acknowledgement%n",
                    acknowledged.size(), failed.size(), ingest.status().restarts(), recovered / 1_000_000);
            assertEquals(RECORDS, acknowledged.size() + failed.size());
        } finally {
            broker.kill();
        }
    }

    private static List<StoredEvent> archived(EventStore store, String topic) {
        return store.readAll(0, Integer.MAX_VALUE).stream().filter(e -> e.origin() != null && e.origin().topic().equals(topic)).toList();
    }
}

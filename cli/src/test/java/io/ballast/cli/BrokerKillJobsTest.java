package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.BrokerProcess;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.store.EventStore;
import io.ballast.store.StoreSettings;
import io.ballast.store.StoredEvent;
import io.ballast.store.kafka.KafkaIngest;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's process killed with SIGKILL mid-stream while the three jobs run (up's arrangement: Flink's
 * MiniCluster in a child JVM, the jobs from the jar) and the store archives every topic, then started again on the
 * same ports and data. The jobs ride it out (their transactions aborted or committed, restarted from their
 * checkpoints as their restart strategy says), the rest of the trace is produced once the broker is back, and for
 * {@code read_committed} readers the decisions are exactly those of an uninterrupted run: {@code 2->4} and
 * {@code 4->2} once each. The store holds every event of the trace once. {@code BrokerKillTest} does the same with a
 * producer sending through the kill.
 */
@WithRegistry
class BrokerKillJobsTest {
    private static final String SERVICE = "broker-kill";

    @Test
    void killedUnderTheJobsTheBrokerComesBackAndTheDecisionsAreExactlyOnce(ApicurioRegistry registry,
                                                                         @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        int port = FreePort.find();
        int controller = FreePort.find();
        String bootstrap = "127.0.0.1:" + port;
        BrokerProcess broker = BrokerProcess.start(dir.resolve("kafka"), port, controller);
        ClientConfig clients = ClientConfig.of(bootstrap, registry.url());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        List<String> trace = Traces.autoscale(SERVICE);
        int flinkPort = FreePort.find();
        ChildJvm.Running flink = FlinkProcess.start(dir, flinkPort, Duration.ofSeconds(90));
        try (EventStore store = EventStore.open(dir.resolve("store"), StoreSettings.DEFAULTS);
             KafkaIngest ingest = new KafkaIngest(store, new KafkaClients(clients), RegistryClient.connect(RegistryConfig.of(registry.url())))) {
            ingest.start();
            UpJobs jobs = new UpJobs(new FlinkRest("http://127.0.0.1:" + flinkPort), dir, true);
            jobs.start(clients, List.of(), Duration.ofSeconds(120));
            Traces.produce(bootstrap, registry, dir, "first", trace.subList(0, 14));
            assertEquals(List.of("2->4"), Traces.decisions(bootstrap, registry, SERVICE, 1));

            broker.kill();
            long down = System.nanoTime();
            broker = BrokerProcess.start(dir.resolve("kafka"), port, controller);
            long back = System.nanoTime();
            Traces.produce(bootstrap, registry, dir, "second", trace.subList(14, trace.size()));
            assertEquals(List.of("2->4", "4->2"), Traces.decisions(bootstrap, registry, SERVICE, 2));
            long decided = System.nanoTime();
            Await.until("every event of the trace archived", Duration.ofSeconds(120), () -> archived(store).size() == trace.size());
            Set<UUID> ids = new HashSet<>(archived(store).stream().map(StoredEvent::eventId).toList());
            assertEquals(trace.size(), ids.size(), "an event archived twice");
            System.out.printf("broker SIGKILL under the jobs: broker back in %.1f s; the next decision %.1f s after it; decisions 2, "
                    + "trace events %d archived, 0 lost, 0 duplicated; ingest restarts %d%n", (back - down) / 1e9, (decided - back) / 1e9,
                    trace.size(), ingest.status().restarts());
            jobs.cancel();
        } finally {
            flink.close();
            broker.kill();
        }
    }

    private static List<StoredEvent> archived(EventStore store) {
        return List.of(Topics.POLICIES, Topics.REPLICAS, Topics.METRICS_RAW).stream()
                .flatMap(topic -> store.readStream(topic.name() + "/" + SERVICE, 0, true, 10_000).stream()).toList();
    }
}

package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Streams apps as {@code ballast up} runs them, in their own JVM, and {@code ballast status} reading
 * their views: a policy and replica status produced with {@code ballast produce} show up, an unknown
 * service exits 1, and views that are not running exit 2 with a hint.
 */
@WithKafka
@WithRegistry
class StreamsProcessTest {

    @Test
    void statusShowsWhatWasProducedAndSaysWhatIsMissing(EmbeddedKafka kafka, ApicurioRegistry registry, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        int port = FreePort.find();
        String views = "http://127.0.0.1:" + port;
        try (ChildJvm.Running apps = StreamsProcess.start(dir, kafka.bootstrapServers(), registry.url(), port, List.of(),
                Duration.ofSeconds(120))) {
            assertTrue(apps.isAlive());
            produce(kafka, registry, dir, "ballast.policies", "{\"service\": \"status-test\", \"version\": 4, \"minReplicas\": 2, "
                    + "\"maxReplicas\": 8, \"metrics\": [{\"name\": \"cpu\", \"source\": \"RESOURCE\", \"targetType\": \"UTILIZATION\", "
                    + "\"target\": 60}], \"envelope\": {\"occurredAt\": 1767225600000}}");
            produce(kafka, registry, dir, "ballast.replicas", "{\"service\": \"status-test\", \"currentReplicas\": 3, "
                    + "\"desiredReplicas\": 3, \"readyReplicas\": 2, \"envelope\": {\"occurredAt\": 1767225660000}}");
            ConsumerGroups.awaitCaughtUp(kafka, "ballast-views", List.of("ballast.policies", "ballast.replicas"), Duration.ofSeconds(60));
            ConsumerGroups.awaitCaughtUp(kafka, "ballast-views", List.of("ballast-views-service-updates-repartition"), Duration.ofSeconds(60));

            CliRun status = CliRun.of("status", "status-test", "--views", views);
            assertEquals(0, status.exitCode(), status.err());
            assertEquals("status-test\n"
                    + "  policy     v4 2..8 replicas, cpu UTILIZATION 60.0  (2026-01-01T00:00:00Z)\n"
                    + "  replicas   current 3, desired 3, ready 2  (2026-01-01T00:01:00Z)\n"
                    + "  decision   none yet\n", status.out());
            CliRun unknown = CliRun.of("status", "nobody", "--views", views);
            assertEquals(1, unknown.exitCode());
            assertEquals("no service 'nobody' in the views: no event has named it yet\n", unknown.err());
            apps.stop();
            assertFalse(apps.isAlive());
        }
        CliRun down = CliRun.of("status", "--views", views);
        assertEquals(2, down.exitCode());
        assertEquals("the views do not answer at " + views + ": is './ballast up' running? (or set --views / BALLAST_VIEWS_URL)\n",
                down.err());
    }

    private static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, Path dir, String topic, String line) throws Exception {
        Path file = Files.writeString(dir.resolve(topic + ".ndjson"), line + "\n");
        CliRun run = CliRun.against(kafka.bootstrapServers(), registry.url(), "produce", "--topic", topic, "--file", file.toString());
        assertEquals(0, run.exitCode(), run.err());
    }
}

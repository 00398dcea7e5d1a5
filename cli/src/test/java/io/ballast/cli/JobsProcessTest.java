package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.ScalingDecision;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ballast up} adds to the platform: the autoscaler job in its own JVM, fed by
 * {@code ballast produce}, deciding as the README says, and keeping its last checkpoint when stopped.
 */
@WithKafka
@WithRegistry
class JobsProcessTest {

    @Test
    void theJobsJvmDecidesOnTheExampleTraceAndKeepsItsCheckpointWhenStopped(EmbeddedKafka kafka, ApicurioRegistry registry,
                                                                            @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        List<String> trace = Files.readAllLines(Path.of("..", "examples", "autoscale", "trace.ndjson")).stream()
                .map(line -> line.replace("\"checkout", "\"jobs-test")).toList();
        try (ChildJvm.Running jobs = JobsProcess.start(dir, kafka.bootstrapServers(), registry.url(), List.of(), Duration.ofSeconds(120))) {
            assertTrue(jobs.isAlive());
            produce(kafka, registry, dir, trace, "maxReplicas", "ballast.policies");
            produce(kafka, registry, dir, trace, "currentReplicas", "ballast.replicas");
            produce(kafka, registry, dir, trace, "\"metric\"", "ballast.metrics.raw");
            EventDecoder<ScalingDecision> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                    ScalingDecision.class);
            List<String> decisions = KafkaRecords.await(kafka, Topics.DECISIONS_SCALING.name(),
                            r -> "jobs-test".equals(new String(r.key(), StandardCharsets.UTF_8)), 2, Duration.ofSeconds(90)).stream()
                    .map(decoder::decode).map(d -> d.getCurrentReplicas() + "->" + d.getDesiredReplicas()).toList();
            assertEquals(List.of("2->4", "4->2"), decisions);
            jobs.stop();
            assertFalse(jobs.isAlive());
        }
        try (Stream<Path> files = Files.walk(dir.resolve("flink").resolve("checkpoints"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("_metadata")), "a retained checkpoint");
        }
    }

    @Test
    void aRefusedJobSettingIsNamedWhenTheJobsJvmStarts(EmbeddedKafka kafka, ApicurioRegistry registry, @TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JobsProcess.start(dir, kafka.bootstrapServers(),
                registry.url(), List.of("rebalancer.quiet.period=soon"), Duration.ofSeconds(60)));
        assertEquals("the Flink jobs exited with 1: quiet.period: 'soon' is not a duration (e.g. 15s, 500ms, 5m, 1h or PT15S); see "
                + dir.resolve("flink").resolve("jobs.log"), e.getMessage());
    }

    private static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, Path dir, List<String> trace, String marker,
                                String topic) throws Exception {
        Path file = Files.write(dir.resolve(topic + ".ndjson"), trace.stream().filter(l -> l.contains(marker)).toList());
        CliRun run = CliRun.against(kafka.bootstrapServers(), registry.url(), "produce", "--topic", topic, "--file", file.toString());
        assertEquals(0, run.exitCode(), run.err());
    }
}

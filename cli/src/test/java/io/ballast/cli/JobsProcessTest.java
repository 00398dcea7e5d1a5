package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
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
 * The Flink of {@code ballast up}: a MiniCluster in its own JVM serving Flink's REST API, to which the three jobs
 * are submitted from the job jar as three Flink jobs; fed by {@code ballast produce}, the autoscaler decides as the
 * README says; {@code ballast jobs list} shows the three RUNNING; each keeps its checkpoints when Flink stops.
 */
@WithKafka
@WithRegistry
class JobsProcessTest {

    @Test
    void upsFlinkRunsTheThreeJobsAndTheAutoscalerDecidesOnTheExampleTrace(EmbeddedKafka kafka, ApicurioRegistry registry,
                                                                          @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        List<String> trace = Traces.autoscale("jobs-test");
        int port = FreePort.find();
        String url = "http://127.0.0.1:" + port;
        try (ChildJvm.Running flink = FlinkProcess.start(dir, port, Duration.ofSeconds(90))) {
            UpJobs jobs = new UpJobs(new FlinkRest(url), dir, true);
            jobs.start(ClientConfig.of(kafka.bootstrapServers(), registry.url()), List.of("rebalancer.quiet.period=10s"),
                    Duration.ofSeconds(120));
            assertEquals(Set.of(FlinkJob.values()), jobs.running().keySet());

            CliRun list = CliRun.of("jobs", "list", "--flink", url);
            assertEquals(0, list.exitCode(), list.err());
            Set<String> running = list.out().lines().skip(1).filter(l -> l.contains(" RUNNING "))
                    .map(l -> l.split("\\s+")[0]).collect(Collectors.toSet());
            assertEquals(Set.of("ballast-autoscaler", "ballast-rebalancer", "ballast-invalidator"), running, list.out());

            produce(kafka, registry, dir, trace, "maxReplicas", "ballast.policies");
            produce(kafka, registry, dir, trace, "currentReplicas", "ballast.replicas");
            produce(kafka, registry, dir, trace, "\"metric\"", "ballast.metrics.raw");
            EventDecoder<ScalingDecision> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                    ScalingDecision.class);
            List<String> decisions = KafkaRecords.await(kafka, Topics.DECISIONS_SCALING.name(),
                            r -> "jobs-test".equals(new String(r.key(), StandardCharsets.UTF_8)), 2, Duration.ofSeconds(90)).stream()
                    .map(decoder::decode).map(d -> d.getCurrentReplicas() + "->" + d.getDesiredReplicas()).toList();
            assertEquals(List.of("2->4", "4->2"), decisions);
            jobs.cancel();
        }
        for (FlinkJob job : FlinkJob.values()) {
            try (Stream<Path> files = Files.walk(dir.resolve("flink").resolve("checkpoints").resolve(job.jobName()))) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("_metadata")), "a retained checkpoint of " + job);
            }
        }
    }

    @Test
    void aRefusedJobSettingIsNamedWithTheJobsOwnReason(EmbeddedKafka kafka, ApicurioRegistry registry, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        int port = FreePort.find();
        try (ChildJvm.Running flink = FlinkProcess.start(dir, port, Duration.ofSeconds(90))) {
            UpJobs jobs = new UpJobs(new FlinkRest("http://127.0.0.1:" + port), dir, true);
            FlinkRest.FlinkException e = assertThrows(FlinkRest.FlinkException.class, () -> jobs.start(
                    ClientConfig.of(kafka.bootstrapServers(), registry.url()), List.of("rebalancer.quiet.period=soon"), Duration.ofSeconds(60)));
            assertEquals("could not run io.ballast.jobs.rebalance.RebalancerJob: the job refused to start: quiet.period: 'soon' is not a "
                    + "duration (e.g. 15s, 500ms, 5m, 1h or PT15S)", e.getMessage());
            jobs.cancel();
        }
    }

    private static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, Path dir, List<String> trace, String marker,
                                String topic) throws Exception {
        Path file = Files.write(dir.resolve(topic + ".ndjson"), trace.stream().filter(l -> l.contains(marker)).toList());
        CliRun run = CliRun.against(kafka.bootstrapServers(), registry.url(), "produce", "--topic", topic, "--file", file.toString());
        assertEquals(0, run.exitCode(), run.err());
    }
}

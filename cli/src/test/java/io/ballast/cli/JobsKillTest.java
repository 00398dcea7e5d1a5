package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * The jobs' JVM killed with SIGKILL mid-stream, in {@code up}'s arrangement (Flink's MiniCluster in a child JVM,
 * the three jobs submitted from the jar, each with retained checkpoints under the data directory): after the first
 * decision the JVM is killed, the rest of the trace arrives while it is down, and Flink is started again and the
 * jobs resubmitted from their latest checkpoints as {@code up} does. The decisions topic then holds, for
 * {@code read_committed} readers, exactly the decisions of an uninterrupted run: {@code 2->4} once, {@code 4->2} once.
 */
@WithKafka
@WithRegistry
class JobsKillTest {
    private static final String SERVICE = "jobs-kill";

    @Test
    void killedMidStreamTheJobsResumeFromTheirCheckpointsAndDecideExactlyOnce(EmbeddedKafka kafka, ApicurioRegistry registry,
                                                                              @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        List<String> trace = Traces.autoscale(SERVICE);
        ClientConfig clients = ClientConfig.of(kafka.bootstrapServers(), registry.url());
        int port = FreePort.find();
        FlinkRest rest = new FlinkRest("http://127.0.0.1:" + port);
        ChildJvm.Running flink = FlinkProcess.start(dir, port, Duration.ofSeconds(90));
        try {
            new UpJobs(rest, dir, true).start(clients, List.of(), Duration.ofSeconds(120));
            // policy, status, samples to 00:01:15: 2 -> 4 at 00:01:00, visible once its checkpoint completed
            produce(kafka, registry, dir, "first", trace.subList(0, 14));
            assertEquals(List.of("2->4"), decisions(kafka, registry, 1));
            flink.kill();
            assertFalse(flink.isAlive());

            produce(kafka, registry, dir, "second", trace.subList(14, trace.size()));
            long restart = System.nanoTime();
            flink = FlinkProcess.start(dir, port, Duration.ofSeconds(90));
            UpJobs resumed = new UpJobs(rest, dir, true);
            resumed.start(clients, List.of(), Duration.ofSeconds(120));
            long running = System.nanoTime();
            assertEquals(List.of("2->4", "4->2"), decisions(kafka, registry, 2));
            long decided = System.nanoTime();
            System.out.printf("jobs SIGKILL: Flink and the three jobs back RUNNING %.1f s after the restart began, the next decision "
                    + "%.1f s later; decisions 2 acknowledged, 0 lost, 0 duplicated%n", (running - restart) / 1e9, (decided - running) / 1e9);
            resumed.cancel();
        } finally {
            flink.close();
        }
    }

    private static List<String> decisions(EmbeddedKafka kafka, ApicurioRegistry registry, int expected) {
        EventDecoder<ScalingDecision> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                ScalingDecision.class);
        return KafkaRecords.await(kafka, Topics.DECISIONS_SCALING.name(), r -> SERVICE.equals(new String(r.key(), StandardCharsets.UTF_8)),
                expected, Duration.ofSeconds(120)).stream().map(decoder::decode)
                .map(d -> d.getCurrentReplicas() + "->" + d.getDesiredReplicas()).toList();
    }

    private static void produce(EmbeddedKafka kafka, ApicurioRegistry registry, Path dir, String part, List<String> lines) throws Exception {
        for (String[] topic : new String[][] {{"maxReplicas", "ballast.policies"}, {"currentReplicas", "ballast.replicas"},
                {"\"metric\"", "ballast.metrics.raw"}}) {
            List<String> selected = lines.stream().filter(l -> l.contains(topic[0])).toList();
            if (selected.isEmpty()) {
                continue;
            }
            Path file = Files.write(dir.resolve(part + "-" + topic[1] + ".ndjson"), selected);
            CliRun run = CliRun.against(kafka.bootstrapServers(), registry.url(), "produce", "--topic", topic[1], "--file", file.toString());
            assertEquals(0, run.exitCode(), run.err());
        }
    }
}

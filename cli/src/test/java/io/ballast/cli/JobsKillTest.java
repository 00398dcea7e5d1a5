package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
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
            Traces.produce(kafka, registry, dir, "first", trace.subList(0, 14));
            assertEquals(List.of("2->4"), Traces.decisions(kafka, registry, SERVICE, 1));
            flink.kill();
            assertFalse(flink.isAlive());

            Traces.produce(kafka, registry, dir, "second", trace.subList(14, trace.size()));
            long restart = System.nanoTime();
            flink = FlinkProcess.start(dir, port, Duration.ofSeconds(90));
            UpJobs resumed = new UpJobs(rest, dir, true);
            resumed.start(clients, List.of(), Duration.ofSeconds(120));
            long running = System.nanoTime();
            assertEquals(List.of("2->4", "4->2"), Traces.decisions(kafka, registry, SERVICE, 2));
            long decided = System.nanoTime();
            System.out.printf("jobs SIGKILL: Flink and the three jobs back RUNNING %.1f s after the restart began, the next decision "
                    + "%.1f s later; decisions 2 acknowledged, 0 lost, 0 duplicated%n", (running - restart) / 1e9, (decided - running) / 1e9);
            resumed.cancel();
        } finally {
            flink.close();
        }
    }


}

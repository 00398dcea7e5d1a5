package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.RebalancePlan;
import io.ballast.rebalance.ClusterJson;
import io.ballast.rebalance.Plan;
import io.ballast.rebalance.PlanRecords;
import io.ballast.rebalance.Planner;
import io.ballast.rebalance.PlannerSettings;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs' JVM killed with SIGKILL mid-stream, in {@code up}'s arrangement (Flink's MiniCluster in a child JVM,
 * the three jobs submitted from the jar, each with retained checkpoints under the data directory): after each job
 * has written its first output the JVM is killed, the rest of every trace arrives while it is down, and Flink is
 * started again and the jobs resubmitted from their latest checkpoints as {@code up} does. For {@code read_committed}
 * readers the output topics then hold exactly what an uninterrupted run writes: the decisions {@code 2->4} and
 * {@code 4->2} once each; the plans as of 00:00:30 (the plain planner's plan of the example cluster) and as of 00:01:30
 * (due after the report of 00:01:00, planned on the model that already holds n4 draining at 00:02:00, since that input
 * is what moved the watermark past it) once each, none for the unchanged model at 00:02:30; and every key
 * invalidation of the three changes, one made before the kill and two while the jobs were down.
 */
@WithKafka
@WithRegistry
class JobsKillTest {
    private static final String SERVICE = "jobs-kill";
    private static final String CLUSTER = "jobs-kill";
    private static final String ENTITY_TYPE = "jobskill";
    /** In the example trace's time, before the shift: n4 starts draining at 00:02:00; a report at 00:03:20 closes the quiet period. */
    private static final List<String> LATER_CLUSTER_INPUTS = List.of(
            "{\"cluster\": \"search-eu\", \"node\": \"n4\", \"rack\": \"r2\", \"state\": \"DRAINING\", "
                    + "\"capacity\": {\"disk\": 1000000000000, \"cpu\": 16}, \"envelope\": {\"occurredAt\": 1767225720000}}",
            "{\"cluster\": \"search-eu\", \"node\": \"n1\", \"rack\": \"r1\", \"state\": \"ACTIVE\", "
                    + "\"capacity\": {\"disk\": 1000000000000, \"cpu\": 16}, \"envelope\": {\"occurredAt\": 1767225800000}}");

    @Test
    void killedMidStreamTheJobsResumeFromTheirCheckpointsAndWriteWhatAnUninterruptedRunWrites(EmbeddedKafka kafka,
                                                                                            ApicurioRegistry registry,
                                                                                            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        List<String> trace = Traces.autoscale(SERVICE);
        List<String> cluster = Traces.rebalance(CLUSTER, LATER_CLUSTER_INPUTS);
        ClientConfig clients = ClientConfig.of(kafka.bootstrapServers(), registry.url());
        int port = FreePort.find();
        FlinkRest rest = new FlinkRest("http://127.0.0.1:" + port);
        ChildJvm.Running flink = FlinkProcess.start(dir, port, Duration.ofSeconds(90));
        try {
            new UpJobs(rest, dir, true).start(clients, List.of(), Duration.ofSeconds(120));
            // policy, status, samples to 00:01:15: 2 -> 4 at 00:01:00, visible once its checkpoint completed
            Traces.produce(kafka, registry, dir, "first", trace.subList(0, 14));
            // the example cluster, then the report of 00:01:00 that moves the watermark past 00:00:30, when it is planned.
            // The report waits until the job has the cluster: a source idle for source.idleness no longer holds the
            // watermark back, so shard reports read after it would be late, and the plan of 00:00:30 made without them
            Traces.produceMixed(kafka, registry, dir, "cluster-first", cluster.subList(0, 10));
            ConsumerGroups.awaitCaughtUp(kafka, "ballast-rebalancer", List.of(Topics.NODES.name(), Topics.SHARDS_LOAD.name()),
                    Duration.ofSeconds(60));
            Traces.produceMixed(kafka, registry, dir, "cluster-quiet", cluster.subList(10, 11));
            Traces.produceMixed(kafka, registry, dir, "deps", dependencies());
            ConsumerGroups.awaitCaughtUp(kafka, "ballast-invalidator", List.of(Topics.CACHE_DEPS.name()), Duration.ofSeconds(60));
            Traces.produceMixed(kafka, registry, dir, "change-1", List.of(change(1)));
            assertEquals(List.of("2->4"), Traces.decisions(kafka, registry, SERVICE, 1));
            assertEquals(1, Traces.plans(kafka, registry, CLUSTER, 1).size());
            assertEquals(expectedKeys(1, 1), Traces.invalidatedKeys(kafka, registry, this::ours, expectedKeys(1, 1)));
            flink.kill();
            assertFalse(flink.isAlive());

            Traces.produce(kafka, registry, dir, "second", trace.subList(14, trace.size()));
            Traces.produceMixed(kafka, registry, dir, "cluster-second", cluster.subList(11, cluster.size()));
            Traces.produceMixed(kafka, registry, dir, "changes-2-3", List.of(change(2), change(3)));
            long restart = System.nanoTime();
            flink = FlinkProcess.start(dir, port, Duration.ofSeconds(90));
            UpJobs resumed = new UpJobs(rest, dir, true);
            resumed.start(clients, List.of(), Duration.ofSeconds(120));
            long running = System.nanoTime();
            assertEquals(List.of("2->4", "4->2"), Traces.decisions(kafka, registry, SERVICE, 2));
            long decided = System.nanoTime();
            List<RebalancePlan> plans = Traces.plans(kafka, registry, CLUSTER, 2);
            Set<String> invalidated = Traces.invalidatedKeys(kafka, registry, this::ours, expectedKeys(1, 3));
            long settled = System.nanoTime();

            Instant first = Instant.ofEpochMilli(plans.get(0).getEnvelope().getOccurredAt().toEpochMilli());
            Instant start = first.minusSeconds(30);
            assertEquals(List.of(PlanRecords.planId(CLUSTER, start.plusSeconds(30)), PlanRecords.planId(CLUSTER, start.plusSeconds(90))),
                    plans.stream().map(RebalancePlan::getPlanId).toList());
            assertEquals(moves(examplePlan().moves()), moves(plans.get(0)));
            assertEquals("NODE_DRAINING", plans.get(1).getTrigger().toString());
            assertTrue(plans.get(1).getMoves().stream().noneMatch(m -> m.getToNode().equals("n4")), () -> moves(plans.get(1)).toString());
            assertTrue(invalidated.containsAll(expectedKeys(1, 3)), invalidated::toString);
            System.out.printf("jobs SIGKILL: Flink and the three jobs back RUNNING %.1f s after the restart began, the next decision "
                    + "%.1f s later, every plan and invalidation %.1f s later; decisions 2, plans 2 acknowledged, 0 lost, 0 duplicated; "
                    + "invalidated keys %d of %d expected%n", (running - restart) / 1e9, (decided - running) / 1e9, (settled - decided) / 1e9,
                    invalidated.size(), expectedKeys(1, 3).size());
            resumed.cancel();
        } finally {
            flink.close();
        }
    }

    /** For each of three entities, a summary key on the entity and a page key on the summary (reached only by the closure). */
    private static List<String> dependencies() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            lines.add("{\"key\": \"" + ENTITY_TYPE + "-summary:" + i + "\", \"dependsOn\": [{\"kind\": \"ENTITY\", \"ref\": \""
                    + ENTITY_TYPE + ":" + i + "\"}]}");
            lines.add("{\"key\": \"" + ENTITY_TYPE + "-page:" + i + "\", \"dependsOn\": [{\"kind\": \"KEY\", \"ref\": \""
                    + ENTITY_TYPE + "-summary:" + i + "\"}]}");
        }
        return lines;
    }

    private static String change(int entity) {
        return "{\"entity\": \"" + ENTITY_TYPE + ":" + entity + "\", \"version\": 1, \"operation\": \"UPDATE\", \"changedFields\": [\"name\"]}";
    }

    private static Set<String> expectedKeys(int from, int to) {
        Set<String> keys = new TreeSet<>();
        for (int i = from; i <= to; i++) {
            keys.add(ENTITY_TYPE + "-summary:" + i + "@1");
            keys.add(ENTITY_TYPE + "-page:" + i + "@1");
        }
        return keys;
    }

    private boolean ours(String entity) {
        return entity.startsWith(ENTITY_TYPE + ":");
    }

    /** What the plain planner makes of the example cluster, the same cluster as the trace's first eleven lines. */
    private static Plan examplePlan() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("..", "examples", "rebalance", "cluster.json"))) {
            return new Planner(PlannerSettings.DEFAULTS).plan(ClusterJson.readCluster(in));
        }
    }

    private static List<String> moves(List<Plan.Move> moves) {
        return moves.stream().map(m -> m.phase() + ": " + m.shard() + " " + m.from() + " -> " + m.to()).toList();
    }

    private static List<String> moves(RebalancePlan plan) {
        return plan.getMoves().stream().map(m -> m.getPhase() + ": " + m.getShard() + " " + m.getFromNode() + " -> " + m.getToNode()).toList();
    }
}

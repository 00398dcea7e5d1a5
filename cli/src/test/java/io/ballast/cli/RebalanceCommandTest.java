package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ballast rebalance plan} and {@code grow} on the README's example, on an infeasible cluster and on bad input. */
class RebalanceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "examples", "rebalance", "cluster.json");

    @Test
    void theExampleClusterOverThresholdGetsTheReadmePlan() throws Exception {
        CliRun run = CliRun.of("rebalance", "plan", "--cluster", EXAMPLE.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode plan = JSON.readTree(run.out());
        assertEquals("PLANNED OVER_CAPACITY", plan.path("status").asText() + " " + plan.path("trigger").asText());
        List<String> moves = new ArrayList<>();
        plan.path("moves").forEach(m -> moves.add(m.path("shard").asText() + " " + m.path("from").asText() + "->"
                + m.path("to").asText() + " phase " + m.path("phase").asInt()));
        assertEquals(List.of("orders-2 n1->n2 phase 1", "events-0 n4->n3 phase 2", "events-0 n2->n1 phase 3", "users-1 n3->n4 phase 4"), moves);
        assertEquals("OVER_CAPACITY: capacity unmet (0.8500); 4 moves, 620000000000 bytes, 4 phases", plan.path("explanation").asText());
    }

    @Test
    void aClusterThatCannotMeetAHardGoalIsInfeasibleWithExitOne(@TempDir Path dir) throws Exception {
        Path cluster = Files.writeString(dir.resolve("full.json"), """
                {"cluster": "full", "nodes": [{"id": "a", "capacity": {"disk": 100}}, {"id": "b", "capacity": {"disk": 100}}],
                 "shards": [{"id": "s1", "replicas": [{"node": "a"}], "sizeBytes": 90},
                            {"id": "s2", "replicas": [{"node": "b"}], "sizeBytes": 80}]}
                """);
        CliRun run = CliRun.of("rebalance", "plan", "--cluster", cluster.toString());
        assertEquals(1, run.exitCode(), run.err());
        JsonNode plan = JSON.readTree(run.out());
        assertEquals("INFEASIBLE", plan.path("status").asText());
        assertEquals("capacity", plan.path("violatedGoal").asText());
        assertEquals("capacity cannot be met: disk: the replicas need 170 but the receiving nodes' capacity at threshold 0.80 is 160",
                plan.path("explanation").asText());
    }

    @Test
    void badEntriesAreNamedWithTheirFileAndExitTwo(@TempDir Path dir) throws Exception {
        Path cluster = Files.writeString(dir.resolve("bad.json"), """
                {"cluster": "c", "nodes": [{"id": "a", "rack": "r1", "capacity": {"disk": 0}}],
                 "shards": [{"id": "s1", "replicas": [{"node": "z"}], "sizeBytes": 5}]}
                """);
        CliRun bad = CliRun.of("rebalance", "plan", "--cluster", cluster.toString());
        assertEquals(2, bad.exitCode());
        assertEquals(List.of(cluster + ": nodes[0] (a): capacity.disk is 0.0; a capacity must be a number > 0",
                cluster + ": shards[0] (s1): a replica is on unknown node z"), bad.err().lines().toList());

        Path goals = Files.writeString(dir.resolve("goals.json"), "{\"goals\": [{\"name\": \"tidiness\"}]}");
        CliRun unknown = CliRun.of("rebalance", "plan", "--cluster", EXAMPLE.toString(), "--goals", goals.toString());
        assertEquals(2, unknown.exitCode());
        assertEquals(List.of(goals + ": goals[0].name: unknown goal 'tidiness'; known goals: drain, rack-aware, capacity, "
                + "resource-distribution, replica-distribution, leader-distribution"), unknown.err().lines().toList());
    }

    @Test
    void growingTenShardsAt95PercentGivesTwelveAndMovesOnlyTheNewShardsShare() throws Exception {
        CliRun run = CliRun.of("rebalance", "grow", "--shards", "10", "--max-util", "0.95", "--bytes", "1000000");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode growth = JSON.readTree(run.out());
        assertEquals(12, growth.path("to").asInt(), "ceil(10 x 0.95 / 0.8)");
        double total = 0;
        for (int i = 0; i < 12; i++) {
            total += growth.path("shares").path(String.format("shard-%04d", i)).asDouble();
        }
        assertEquals(1.0, total, 1e-9);
        double moved = growth.at("/shares/shard-0010").asDouble() + growth.at("/shares/shard-0011").asDouble();
        assertEquals(moved, growth.path("movedShare").asDouble(), 1e-12);
        assertEquals(Math.round(moved * 1_000_000), growth.path("movedBytes").asLong());
    }
}

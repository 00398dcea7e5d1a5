package io.ballast.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PlannerTest {
    private static Node node(String id, String rack, NodeState state, double disk) {
        return new Node(id, rack, state, Map.of("disk", disk));
    }

    private static Shard shard(String id, long size, String... nodes) {
        List<Replica> replicas = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            replicas.add(new Replica(nodes[i], i == 0));
        }
        return new Shard(id, replicas, size, Map.of());
    }

    private static Plan.Move move(String shard, String from, String to, long bytes, int phase) {
        return new Plan.Move(shard, from, to, bytes, phase, "");
    }

    private static List<Plan.Move> withoutReasons(Plan plan) {
        return plan.moves().stream().map(m -> move(m.shard(), m.from(), m.to(), m.bytes(), m.phase())).toList();
    }

    @Test
    void balancedClusterGetsAnEmptyPlan() {
        Cluster cluster = new Cluster("c", List.of(node("a", "r1", NodeState.ACTIVE, 100), node("b", "r2", NodeState.ACTIVE, 100)),
                List.of(shard("s1", 40, "a", "b"), shard("s2", 40, "b", "a")));
        Plan plan = new Planner().plan(cluster);
        assertEquals(Plan.Status.EMPTY, plan.status());
        assertNull(plan.trigger());
        assertEquals(List.of(), plan.moves());
        assertTrue(plan.goals().stream().allMatch(Plan.GoalFigure::satisfied));
    }

    @Test
    void overCapacityNodeShedsTheSmallestReplicaThatSufficesThenSpreadIsEvened() {
        Cluster cluster = new Cluster("c", List.of(node("a", "r", NodeState.ACTIVE, 100), node("b", "r", NodeState.ACTIVE, 100),
                node("c", "r", NodeState.ACTIVE, 100)),
                List.of(shard("s1", 50, "a"), shard("s2", 40, "a"), shard("s3", 30, "b"), shard("s4", 30, "c")));
        Plan plan = new Planner().plan(cluster);
        assertEquals(Plan.Status.PLANNED, plan.status());
        assertEquals(Plan.Trigger.OVER_CAPACITY, plan.trigger());
        // a at 90% sheds s2 (40 bytes suffice, s1's 50 are not needed); b then holds 70% and evens out with c
        assertEquals(List.of(move("s2", "a", "b", 40, 1), move("s3", "b", "c", 30, 1)), withoutReasons(plan));
        assertEquals("capacity: a disk at 0.900 > 0.80", plan.moves().get(0).reason());
        assertEquals(0.9, plan.figure(Goal.CAPACITY).before());
        assertEquals(0.6, plan.figure(Goal.CAPACITY).after());
        // 50 | 40 | 60 is the best split of 50, 40, 30, 30: the soft goal stays unmet at 1.2, and says so
        assertEquals(1.2, plan.figure(Goal.RESOURCE_DISTRIBUTION).after(), 1e-9);
        assertFalse(plan.figure(Goal.RESOURCE_DISTRIBUTION).satisfied());
        Plan again = new Planner().plan(PlanApplication.apply(cluster, plan));
        assertEquals(List.of(), again.moves());
    }

    @Test
    void aChainOfMovesHandsLeadershipToWhereThePlannerPutIt() {
        Map<String, Double> capacity = Map.of("disk", 1e12, "cpu", 32.0);
        List<Node> nodes = List.of(new Node("n0", "r", NodeState.ACTIVE, capacity), new Node("n1", "r", NodeState.ACTIVE, capacity),
                new Node("n2", "r", NodeState.ACTIVE, capacity));
        Cluster cluster = new Cluster("c", nodes, List.of(
                cpuShard("s0", 285_161_095_158L, 11.239, "n2", "n0"), cpuShard("s1", 104_904_904_330L, 2.659, "n1", "n2"),
                cpuShard("s2", 38_592_357_581L, 1.552, "n0", "n2"), cpuShard("s3", 14_197_334_940L, 0.362, "n0", "n2"),
                cpuShard("s4", 5_222_907_644L, 0.110, "n2", "n0"), cpuShard("s5", 1_921_400_345L, 0.071, "n0", "n1")));
        Plan plan = new Planner().plan(cluster);
        // s5's follower went n1→n2, then its leader n0→n1: one copy (n0→n2) and a leadership hand-over n2→n1
        assertEquals(List.of(move("s0", "n2", "n1", 285_161_095_158L, 1), move("s5", "n0", "n2", 1_921_400_345L, 2)),
                withoutReasons(plan));
        assertEquals(List.of(new Plan.LeaderChange("s5", "n2", "n1")), plan.leaderChanges());
        Shard s5 = PlanApplication.apply(cluster, plan).shards().get(5);
        assertEquals(List.of(new Replica("n2", false), new Replica("n1", true)), s5.replicas());
        assertEquals(Plan.Status.EMPTY, new Planner().plan(PlanApplication.apply(cluster, plan)).status());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> PlanApplication.apply(cluster,
                new Plan("c", Plan.Status.PLANNED, null, List.of(), List.of(new Plan.LeaderChange("s5", "n1", "n0")), List.of(), null, "")));
        assertEquals("leader change of s5 from n1 to n0: the shard's leader is not on n1 or it has no replica on n0", wrong.getMessage());
    }

    @Test
    void eachMoveOfTheReadmeExampleSaysWhyItsOwnReplicaMoved() throws Exception {
        Cluster cluster;
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("../../examples/rebalance/cluster.json"))) {
            cluster = ClusterJson.readCluster(in);
        }
        Plan plan = new Planner().plan(cluster);
        assertEquals(List.of(move("orders-2", "n1", "n2", 270_000_000_000L, 1), move("events-0", "n4", "n3", 100_000_000_000L, 2),
                move("events-0", "n2", "n1", 100_000_000_000L, 3), move("users-1", "n3", "n4", 150_000_000_000L, 4)), withoutReasons(plan));
        // both replicas of events-0 moved, each for its own node's excess
        assertEquals(List.of("capacity: n1 disk at 0.850 > 0.80",
                "resource-distribution: n4 disk at 1.123 x mean, n3 at 0.877 x mean (band 1.09)",
                "resource-distribution: n2 disk at 1.108 x mean, n1 at 0.892 x mean (band 1.09)",
                "resource-distribution: n3 cpu at 1.200 x mean, n4 at 0.800 x mean (band 1.09)"),
                plan.moves().stream().map(Plan.Move::reason).toList());
        assertEquals(0.85, plan.figure(Goal.CAPACITY).before());
        assertEquals(0.68, plan.figure(Goal.CAPACITY).after(), 1e-9);
    }

    private static Shard cpuShard(String id, long size, double cpu, String leader, String follower) {
        return new Shard(id, List.of(new Replica(leader, true), new Replica(follower, false)), size, Map.of("cpu", cpu));
    }

    @Test
    void drainingNodeIsEmptiedOntoTheRacksItsShardsMiss() {
        Cluster cluster = new Cluster("c", List.of(node("a", "r1", NodeState.ACTIVE, 100), node("b", "r2", NodeState.ACTIVE, 100),
                node("c", "r1", NodeState.DRAINING, 100), node("d", "r2", NodeState.ACTIVE, 100)),
                List.of(shard("s1", 20, "c", "b"), shard("s2", 20, "a", "b"), shard("s3", 20, "d", "a"), shard("s4", 10, "c", "d")));
        Plan plan = new Planner().plan(cluster);
        assertEquals(Plan.Trigger.NODE_DRAINING, plan.trigger());
        assertEquals(Plan.Status.PLANNED, plan.status());
        // both replicas on c go to a, the only receiving node in rack r1
        assertEquals(List.of(move("s1", "c", "a", 20, 1), move("s4", "c", "a", 10, 1)), withoutReasons(plan));
        assertTrue(plan.moves().stream().allMatch(m -> m.reason().startsWith("drain: c is DRAINING")));
        assertEquals(0.0, plan.figure(Goal.DRAIN).after());
    }

    @Test
    void nodeLeftCountsAsDrainWithItsOwnTrigger() {
        Cluster cluster = new Cluster("c", List.of(node("a", "r", NodeState.ACTIVE, 100), node("b", "r", NodeState.LEFT, 100)),
                List.of(shard("s1", 20, "b")));
        Plan plan = new Planner().plan(cluster);
        assertEquals(Plan.Trigger.NODE_LEFT, plan.trigger());
        assertEquals(List.of(move("s1", "b", "a", 20, 1)), withoutReasons(plan));
    }

    @Test
    void replicasSharingARackAreSpreadOverRacks() {
        Cluster cluster = new Cluster("c", List.of(node("a", "r1", NodeState.ACTIVE, 100), node("b", "r1", NodeState.ACTIVE, 100),
                node("c", "r2", NodeState.ACTIVE, 100), node("d", "r2", NodeState.ACTIVE, 100)),
                List.of(shard("s1", 10, "a", "b"), shard("s2", 10, "c", "a"), shard("s3", 10, "d", "b"), shard("s4", 10, "d", "a")));
        Plan plan = new Planner().plan(cluster);
        assertEquals(Plan.Trigger.RACK_AWARENESS, plan.trigger());
        assertEquals(1.0, plan.figure(Goal.RACK_AWARE).before());
        assertEquals(0.0, plan.figure(Goal.RACK_AWARE).after());
        // a's copy of s1 goes to c, the least loaded node of rack r2: a holds three replicas, b two, so moving
        // a's evens the replica counts as well
        assertEquals(List.of(move("s1", "a", "c", 10, 1)), withoutReasons(plan));
    }

    @Test
    void joiningNodeReceivesAndNothingMovesBetweenExistingNodes() {
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            shards.add(shard("s" + (10 + i), 10, "n" + (i % 3)));
        }
        List<Node> nodes = new ArrayList<>(List.of(node("n0", "r", NodeState.ACTIVE, 100), node("n1", "r", NodeState.ACTIVE, 100),
                node("n2", "r", NodeState.ACTIVE, 100)));
        assertNull(new Planner().plan(new Cluster("c", nodes, shards)).trigger());
        nodes.add(node("n3", "r", NodeState.JOINING, 100));
        Plan plan = new Planner().plan(new Cluster("c", nodes, shards));
        assertEquals(Plan.Trigger.NODE_JOINED, plan.trigger());
        assertEquals(3, plan.moves().size());
        assertTrue(plan.moves().stream().allMatch(m -> m.to().equals("n3")));
        assertEquals(List.of("n0", "n1", "n2"), plan.moves().stream().map(Plan.Move::from).sorted().toList());
    }

    @Test
    void moreDiskThanTheThresholdAllowsIsInfeasibleNamingCapacity() {
        Cluster cluster = new Cluster("c", List.of(node("a", "r", NodeState.ACTIVE, 100), node("b", "r", NodeState.ACTIVE, 100)),
                List.of(shard("s1", 90, "a"), shard("s2", 80, "b")));
        Plan plan = new Planner().plan(cluster);
        assertEquals(Plan.Status.INFEASIBLE, plan.status());
        assertEquals("capacity", plan.violatedGoal());
        assertEquals("capacity cannot be met: disk: the replicas need 170 but the receiving nodes' capacity at threshold 0.80 is 160",
                plan.explanation());
        assertEquals(List.of(), plan.moves());
    }

    @Test
    void phasesRespectPerNodeConcurrencyAndTheBytesBudget() {
        List<Plan.Move> moves = List.of(move("s1", "a", "b", 10, 0), move("s2", "a", "c", 10, 0), move("s3", "a", "d", 10, 0),
                move("s4", "e", "f", 100, 0), move("s5", "g", "h", 5, 0));
        List<Plan.Move> phased = Phasing.phase(moves, 2, 25);
        assertEquals(List.of(move("s1", "a", "b", 10, 1), move("s2", "a", "c", 10, 1),
                move("s5", "g", "h", 5, 1), move("s3", "a", "d", 10, 2), move("s4", "e", "f", 100, 3)), phased);
    }

    @Test
    void leadersAreEvenedByHandingLeadershipOverWithoutMovingData() {
        // every shard has a replica on a, b and c, and a leads all twelve: leadership alone can even this out
        List<Node> nodes = List.of(node("a", "r1", NodeState.ACTIVE, 1000), node("b", "r2", NodeState.ACTIVE, 1000),
                node("c", "r3", NodeState.ACTIVE, 1000));
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            shards.add(shard(String.format("s%02d", i), 10, "a", "b", "c"));
        }
        Cluster cluster = new Cluster("c", nodes, shards);
        Plan plan = new Planner().plan(cluster);
        assertEquals(Plan.Status.PLANNED, plan.status());
        assertEquals(List.of(), plan.moves());
        // mean 4, band floor(4 x 0.91)..ceil(4 x 1.09) = 3..5: a hands over 7, one at a time to the node leading fewest
        assertEquals(List.of("s00 a->b", "s01 a->c", "s02 a->b", "s03 a->c", "s04 a->b", "s05 a->c", "s06 a->b"),
                plan.leaderChanges().stream().map(c -> c.shard() + " " + c.from() + "->" + c.to()).toList());
        assertEquals("SPREAD: leader-distribution unmet (3.000); 7 leader changes, no data moved", plan.explanation());
        assertEquals(1.25, plan.figure(Goal.LEADER_DISTRIBUTION).after());
        assertEquals(Plan.Status.EMPTY, new Planner().plan(PlanApplication.apply(cluster, plan)).status());
    }

    @Test
    void theLowerBoundCountsWhatMustLeaveAndWhatMustArrive() {
        // mean 50 %: a at 90 % must shed 90 - 54.5 = 35.5 (one replica: s1 or s2, 45 each); b and c at 30 % must
        // each receive 45.5 - 30 = 15.5 (one replica each): two moves at least, and the 45 bytes of a replica leaving a
        Cluster cluster = new Cluster("c", List.of(node("a", "r", NodeState.ACTIVE, 100), node("b", "r", NodeState.ACTIVE, 100),
                node("c", "r", NodeState.ACTIVE, 100)),
                List.of(shard("s1", 45, "a"), shard("s2", 45, "a"), shard("s3", 30, "b"), shard("s4", 30, "c")));
        assertEquals(new PlanBounds.Cost(2, 45), PlanBounds.lowerBound(cluster, PlannerSettings.DEFAULTS));
    }

    @Test
    void badClusterEntriesAreNamed() {
        String json = """
                {"cluster": "c",
                 "nodes": [{"id": "a", "rack": "r1", "capacity": {"disk": 100}},
                           {"id": "b", "rack": "r1", "capacity": {"disk": 0}},
                           {"id": "a", "rack": "r2", "capacity": {"disk": 100}}],
                 "shards": [{"id": "s1", "replicas": [{"node": "z"}], "sizeBytes": 5},
                            {"id": "s2", "replicas": [{"node": "a"}], "sizeBytes": -1}]}
                """;
        InvalidClusterException e = assertThrows(InvalidClusterException.class,
                () -> ClusterJson.readCluster(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(
                        "nodes[1] (b): capacity.disk is 0.0; a capacity must be a number > 0",
                        "node a is in two racks: r1 (nodes[0]) and r2 (nodes[2])",
                        "shards[0] (s1): a replica is on unknown node z",
                        "shards[1] (s2): sizeBytes is -1; a size must be >= 0"), e.problems());
    }

    @Test
    void unknownGoalAndWrongTypesAreNamed() {
        assertEquals("goals[1].name: unknown goal 'tidyness'; known goals: drain, rack-aware, capacity, "
                + "resource-distribution, replica-distribution, leader-distribution", assertThrows(InvalidClusterException.class,
                () -> ClusterJson.readGoals(stream("{\"goals\": [{\"name\": \"capacity\"}, {\"name\": \"tidyness\"}]}"))).getMessage());
        assertTrue(assertThrows(InvalidClusterException.class, () -> ClusterJson.readGoals(stream("{\"balanceTrigger\": 1.05}")))
                .getMessage().startsWith("balanceTrigger is 1.05; it must be above balanceTarget (1.09)"));
        String message = assertThrows(InvalidClusterException.class, () -> ClusterJson.readCluster(
                stream("{\"cluster\": \"c\", \"nodes\": [{\"id\": \"a\", \"capacity\": {\"disk\": \"big\"}}]}"))).getMessage();
        assertTrue(message.startsWith("nodes[0].capacity.disk: "), message);
    }

    @Test
    void customGoalOrderMakesRackAwarenessSoft() throws Exception {
        PlannerSettings settings = ClusterJson.readGoals(stream(
                "{\"goals\": [{\"name\": \"capacity\"}, {\"name\": \"rack-aware\", \"hard\": false}], \"capacityThreshold\": 0.9}"));
        assertEquals(List.of("drain:true", "capacity:true", "rack-aware:false"),
                settings.goals().stream().map(g -> g.goal().id() + ":" + g.hard()).toList());
        assertEquals(0.9, settings.capacityThreshold());
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}

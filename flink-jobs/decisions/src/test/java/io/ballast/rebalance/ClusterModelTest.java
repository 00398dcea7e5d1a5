package io.ballast.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The job's per-cluster model: what the planner sees while an executor works through plans. */
class ClusterModelTest {
    private static ClusterModel model() {
        ClusterModel model = ClusterModel.empty("c");
        for (String id : List.of("a", "b", "c", "d")) {
            model = model.with(new Node(id, "r", NodeState.ACTIVE, Map.of("disk", 100.0)));
        }
        return model.with(shard("s1", "a")).with(shard("s2", "a"));
    }

    private static Shard shard(String id, String on) {
        return new Shard(id, List.of(new Replica(on, true)), 10, Map.of());
    }

    private static Plan plan(Plan.Move... moves) {
        return new Plan("c", Plan.Status.PLANNED, Plan.Trigger.SPREAD, List.of(moves), List.of(), List.of(), null, "");
    }

    private static Plan.Move move(String shard, String from, String to) {
        return new Plan.Move(shard, from, to, 10, 1, "");
    }

    /** Where the planner sees each shard. */
    private static Map<String, String> seen(ClusterModel model) {
        Map<String, String> where = new java.util.TreeMap<>();
        model.planningView().shards().forEach(s -> where.put(s.id(), s.replicas().get(0).node()));
        return where;
    }

    @Test
    void movesOfAStartedPlanAreSeenMadeUntilDoneAndAPlanNotStartedIsNot() {
        ClusterModel planned = model().planned("p1", plan(move("s1", "a", "b"), move("s2", "a", "c")));
        assertEquals(Map.of("s1", "a", "s2", "a"), seen(planned));
        ClusterModel started = planned.progress(ClusterModel.Progress.STARTED, "p1", null, null, null);
        assertEquals(Map.of("s1", "b", "s2", "c"), seen(started));
        ClusterModel oneDone = started.progress(ClusterModel.Progress.MOVE_DONE, "p1", "s1", "a", "b");
        assertEquals("b", oneDone.shards().get("s1").replicas().get(0).node());
        assertEquals(Map.of("s1", "b", "s2", "c"), seen(oneDone));
        ClusterModel allDone = oneDone.progress(ClusterModel.Progress.MOVE_DONE, "p1", "s2", "a", "c");
        assertNull(allDone.active());
        assertEquals(Map.of("s1", "b", "s2", "c"), seen(allDone));
    }

    @Test
    void anAbortedPlanLeavesItsPendingMovesUnmade() {
        ClusterModel started = model().planned("p1", plan(move("s1", "a", "b"), move("s2", "a", "c")))
                .progress(ClusterModel.Progress.STARTED, "p1", null, null, null)
                .progress(ClusterModel.Progress.MOVE_DONE, "p1", "s1", "a", "b");
        ClusterModel aborted = started.progress(ClusterModel.Progress.ABORTED, "p1", null, null, null);
        assertEquals(Map.of("s1", "b", "s2", "a"), seen(aborted));
        assertEquals("plan p1 is not the plan in force (none) and has no move in flight", assertThrows(IllegalArgumentException.class,
                () -> aborted.progress(ClusterModel.Progress.MOVE_DONE, "p1", "s2", "a", "c")).getMessage());
    }

    @Test
    void aNewPlanCarriesTheMovesStillRunningAndTheirReportsAreStillTaken() {
        ClusterModel running = model().planned("p1", plan(move("s1", "a", "b"), move("s2", "a", "c")))
                .progress(ClusterModel.Progress.STARTED, "p1", null, null, null);
        // p2 was planned on the view with s1 on b: it moves s1 on to d, a chain over p1's move
        ClusterModel replaced = running.planned("p2", plan(move("s1", "b", "d")));
        assertEquals(List.of(new ClusterModel.CarriedMove("p1", move("s1", "a", "b")), new ClusterModel.CarriedMove("p1", move("s2", "a", "c"))),
                replaced.carried());
        assertEquals(Map.of("s1", "b", "s2", "c"), seen(replaced));
        ClusterModel p2Started = replaced.progress(ClusterModel.Progress.STARTED, "p2", null, null, null);
        assertEquals(Map.of("s1", "d", "s2", "c"), seen(p2Started));

        ClusterModel p1MoveDone = p2Started.progress(ClusterModel.Progress.MOVE_DONE, "p1", "s1", "a", "b");
        assertEquals(List.of(new ClusterModel.CarriedMove("p1", move("s2", "a", "c"))), p1MoveDone.carried());
        assertEquals(Map.of("s1", "d", "s2", "c"), seen(p1MoveDone));
        ClusterModel p1Aborted = p1MoveDone.progress(ClusterModel.Progress.ABORTED, "p1", null, null, null);
        assertEquals(List.of(), p1Aborted.carried());
        assertEquals("p2", p1Aborted.active().planId());
        assertEquals(Map.of("s1", "d", "s2", "a"), seen(p1Aborted));
        assertEquals("plan p1 is not the plan in force (p2) and has no move in flight", assertThrows(IllegalArgumentException.class,
                () -> p1Aborted.progress(ClusterModel.Progress.STARTED, "p1", null, null, null)).getMessage());
    }

    @Test
    void aCarriedMoveTheShardsReportShowsMadeIsDropped() {
        ClusterModel running = model().planned("p1", plan(move("s1", "a", "b"))).progress(ClusterModel.Progress.STARTED, "p1", null, null, null)
                .with(shard("s1", "b"));
        assertEquals(List.of(), running.planned("p2", plan(move("s2", "a", "c"))).carried());
        assertEquals("plan p1 has no move of s2 from a to b", assertThrows(IllegalArgumentException.class,
                () -> running.progress(ClusterModel.Progress.MOVE_DONE, "p1", "s2", "a", "b")).getMessage());
    }
}

package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the rebalancer job keeps per cluster: the latest word on every node and shard, and the plan in
 * force with the moves its executor reported done. Immutable: every input gives a new model.
 *
 * @param active          the last plan emitted, or null
 * @param lastFingerprint what the last emitted plan decided, so the same outcome is not emitted twice
 */
public record ClusterModel(String cluster, Map<String, Node> nodes, Map<String, Shard> shards, ActivePlan active,
                           String lastFingerprint) {

    /** A plan handed to the executor: started or not, and which of its moves are done. */
    public record ActivePlan(String planId, List<Plan.Move> moves, boolean started, Set<String> done) {
        public ActivePlan {
            moves = List.copyOf(moves);
            done = new TreeSet<>(done);
        }

        static String key(String shard, String from, String to) {
            return shard + "|" + from + "|" + to;
        }
    }

    /** What an executor reports about a plan. */
    public enum Progress { STARTED, MOVE_DONE, ABORTED, COMPLETED }

    public ClusterModel {
        nodes = new TreeMap<>(nodes);
        shards = new TreeMap<>(shards);
    }

    public static ClusterModel empty(String cluster) {
        return new ClusterModel(cluster, Map.of(), Map.of(), null, null);
    }

    public ClusterModel with(Node node) {
        Map<String, Node> next = new TreeMap<>(nodes);
        next.put(node.id(), node);
        return new ClusterModel(cluster, next, shards, active, lastFingerprint);
    }

    public ClusterModel with(Shard shard) {
        Map<String, Shard> next = new TreeMap<>(shards);
        next.put(shard.id(), shard);
        return new ClusterModel(cluster, nodes, next, active, lastFingerprint);
    }

    /** The model with a plan just emitted in force; a plan not yet started is simply replaced. */
    public ClusterModel planned(String planId, Plan plan) {
        ActivePlan next = plan.status() == Plan.Status.PLANNED ? new ActivePlan(planId, plan.moves(), false, Set.of()) : active;
        return new ClusterModel(cluster, nodes, shards, next, fingerprint(plan));
    }

    /**
     * An executor's report. Returns the new model, or throws {@link IllegalArgumentException} saying why the
     * report does not fit (another plan, a move the plan does not have).
     */
    public ClusterModel progress(Progress progress, String planId, String shard, String from, String to) {
        if (active == null || !active.planId().equals(planId)) {
            throw new IllegalArgumentException("plan " + planId + " is not the plan in force ("
                    + (active == null ? "none" : active.planId()) + ")");
        }
        return switch (progress) {
            case STARTED -> new ClusterModel(cluster, nodes, shards,
                    new ActivePlan(planId, active.moves(), true, active.done()), lastFingerprint);
            case ABORTED, COMPLETED -> new ClusterModel(cluster, nodes, shards, null, lastFingerprint);
            case MOVE_DONE -> moveDone(shard, from, to);
        };
    }

    private ClusterModel moveDone(String shard, String from, String to) {
        String key = ActivePlan.key(shard, from, to);
        if (active.moves().stream().noneMatch(m -> ActivePlan.key(m.shard(), m.from(), m.to()).equals(key))) {
            throw new IllegalArgumentException("plan " + active.planId() + " has no move of " + shard + " from " + from + " to " + to);
        }
        Set<String> done = new TreeSet<>(active.done());
        done.add(key);
        Map<String, Shard> next = new TreeMap<>(shards);
        Shard moved = shards.get(shard);
        if (moved != null) {
            next.put(shard, PlanApplication.apply(new Cluster(cluster, List.of(), List.of(moved)), List.of(
                    new Plan.Move(shard, from, to, moved.sizeBytes(), 0, ""))).shards().get(0));
        }
        boolean finished = done.size() == active.moves().size();
        ActivePlan nextPlan = finished ? null : new ActivePlan(active.planId(), active.moves(), true, done);
        return new ClusterModel(cluster, nodes, next, nextPlan, lastFingerprint);
    }

    /**
     * The cluster to plan on: the moves of a started plan that are not done yet are in flight, so the
     * planner sees their shards where they are going, and does not move them again.
     */
    public Cluster planningView() {
        List<Plan.Move> inFlight = new ArrayList<>();
        if (active != null && active.started()) {
            for (Plan.Move move : active.moves()) {
                Shard shard = shards.get(move.shard());
                boolean pending = !active.done().contains(ActivePlan.key(move.shard(), move.from(), move.to()));
                if (pending && shard != null && on(shard, move.from()) && !on(shard, move.to())) {
                    inFlight.add(move);
                }
            }
        }
        return PlanApplication.apply(new Cluster(cluster, List.copyOf(nodes.values()), List.copyOf(shards.values())), inFlight);
    }

    private static boolean on(Shard shard, String node) {
        return shard.replicas().stream().anyMatch(r -> r.node().equals(node));
    }

    public static String fingerprint(Plan plan) {
        return plan.status() + " " + plan.violatedGoal() + " " + plan.moves().stream()
                .map(m -> ActivePlan.key(m.shard(), m.from(), m.to())).toList()
                + (plan.leaderChanges().isEmpty() ? "" : " leaders " + plan.leaderChanges().stream()
                .map(c -> ActivePlan.key(c.shard(), c.from(), c.to())).toList());
    }
}

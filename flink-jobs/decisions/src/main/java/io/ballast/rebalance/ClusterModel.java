package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the rebalancer job keeps per cluster: the latest word on every node and shard, the plan in force
 * with the moves its executor reported done, and the moves of earlier started plans still in flight.
 * Immutable: every input gives a new model.
 *
 * <p>A new plan does not stop the moves already running: when it replaces a started plan, that plan's
 * moves not yet done are carried as in flight; the planner keeps seeing them as made, and the executor's
 * later "done" (or "aborted") reports for them are still accepted under their own plan id.
 *
 * @param active          the last plan emitted, or null
 * @param carried         moves of earlier started plans that are not done yet
 * @param lastFingerprint what the last emitted plan decided, so the same outcome is not emitted twice
 */
public record ClusterModel(String cluster, Map<String, Node> nodes, Map<String, Shard> shards, ActivePlan active,
                           List<CarriedMove> carried, String lastFingerprint) {

    /** A plan handed to the executor: started or not, and which of its moves are done. */
    public record ActivePlan(String planId, List<Plan.Move> moves, boolean started, Set<String> done) {
        public ActivePlan {
            moves = List.copyOf(moves);
            done = new TreeSet<>(done);
        }

        static String key(String shard, String from, String to) {
            return shard + "|" + from + "|" + to;
        }

        List<Plan.Move> pending() {
            return moves.stream().filter(m -> !done.contains(key(m.shard(), m.from(), m.to()))).toList();
        }
    }

    /** A move of an earlier, started plan that its executor has not reported done or aborted. */
    public record CarriedMove(String planId, Plan.Move move) {
    }

    /** What an executor reports about a plan. */
    public enum Progress { STARTED, MOVE_DONE, ABORTED, COMPLETED }

    public ClusterModel {
        nodes = new TreeMap<>(nodes);
        shards = new TreeMap<>(shards);
        carried = carried == null ? List.of() : List.copyOf(carried);
    }

    public static ClusterModel empty(String cluster) {
        return new ClusterModel(cluster, Map.of(), Map.of(), null, List.of(), null);
    }

    public ClusterModel with(Node node) {
        Map<String, Node> next = new TreeMap<>(nodes);
        next.put(node.id(), node);
        return new ClusterModel(cluster, next, shards, active, carried, lastFingerprint);
    }

    public ClusterModel with(Shard shard) {
        Map<String, Shard> next = new TreeMap<>(shards);
        next.put(shard.id(), shard);
        return new ClusterModel(cluster, nodes, next, active, carried, lastFingerprint);
    }

    /**
     * The model with a plan just emitted in force. A plan not yet started is simply replaced; the pending
     * moves of a started one stay in flight (moves the shards' reports already show made are dropped).
     */
    public ClusterModel planned(String planId, Plan plan) {
        // a set: a plan of thousands of moves is checked move by move
        Set<Plan.Move> inFlight = new java.util.HashSet<>(inFlight());
        List<CarriedMove> next = new ArrayList<>();
        for (CarriedMove c : carried) {
            if (inFlight.contains(c.move())) {
                next.add(c);
            }
        }
        if (active != null && active.started()) {
            active.pending().stream().filter(inFlight::contains).forEach(m -> next.add(new CarriedMove(active.planId(), m)));
        }
        ActivePlan nextPlan = plan.status() == Plan.Status.PLANNED ? new ActivePlan(planId, plan.moves(), false, Set.of()) : active;
        return new ClusterModel(cluster, nodes, shards, nextPlan, next, fingerprint(plan));
    }

    /**
     * An executor's report. Returns the new model, or throws {@link IllegalArgumentException} saying why the
     * report does not fit (a plan neither in force nor with moves in flight, a move the plan does not have).
     */
    public ClusterModel progress(Progress progress, String planId, String shard, String from, String to) {
        boolean inForce = active != null && active.planId().equals(planId);
        boolean hasCarried = carried.stream().anyMatch(c -> c.planId().equals(planId));
        if (!inForce && !(hasCarried && progress != Progress.STARTED)) {
            throw new IllegalArgumentException("plan " + planId + " is not the plan in force ("
                    + (active == null ? "none" : active.planId()) + ")" + (hasCarried ? "" : " and has no move in flight"));
        }
        List<CarriedMove> rest = carried.stream().filter(c -> !c.planId().equals(planId)).toList();
        return switch (progress) {
            case STARTED -> new ClusterModel(cluster, nodes, shards,
                    new ActivePlan(planId, active.moves(), true, active.done()), carried, lastFingerprint);
            case ABORTED, COMPLETED -> new ClusterModel(cluster, nodes, shards, inForce ? null : active, rest, lastFingerprint);
            case MOVE_DONE -> inForce ? moveDone(shard, from, to) : carriedMoveDone(planId, shard, from, to);
        };
    }

    private ClusterModel moveDone(String shard, String from, String to) {
        String key = ActivePlan.key(shard, from, to);
        if (active.moves().stream().noneMatch(m -> ActivePlan.key(m.shard(), m.from(), m.to()).equals(key))) {
            throw new IllegalArgumentException("plan " + active.planId() + " has no move of " + shard + " from " + from + " to " + to);
        }
        Set<String> done = new TreeSet<>(active.done());
        done.add(key);
        boolean finished = done.size() == active.moves().size();
        ActivePlan nextPlan = finished ? null : new ActivePlan(active.planId(), active.moves(), true, done);
        return new ClusterModel(cluster, nodes, moved(shard, from, to), nextPlan, carried, lastFingerprint);
    }

    private ClusterModel carriedMoveDone(String planId, String shard, String from, String to) {
        String key = ActivePlan.key(shard, from, to);
        List<CarriedMove> rest = new ArrayList<>(carried);
        if (!rest.removeIf(c -> c.planId().equals(planId) && ActivePlan.key(c.move().shard(), c.move().from(), c.move().to()).equals(key))) {
            throw new IllegalArgumentException("plan " + planId + " has no move of " + shard + " from " + from + " to " + to + " in flight");
        }
        return new ClusterModel(cluster, nodes, moved(shard, from, to), active, rest, lastFingerprint);
    }

    /** The shards with one move made: the replica is where it went until the shard's next report says otherwise. */
    private Map<String, Shard> moved(String shard, String from, String to) {
        Map<String, Shard> next = new TreeMap<>(shards);
        Shard moved = shards.get(shard);
        if (moved != null && on(moved, from) && !on(moved, to)) {
            next.put(shard, PlanApplication.apply(new Cluster(cluster, List.of(), List.of(moved)), List.of(
                    new Plan.Move(shard, from, to, moved.sizeBytes(), 0, ""))).shards().get(0));
        }
        return next;
    }

    /**
     * The cluster to plan on: the moves of a started plan that are not done yet, and the moves carried from
     * earlier plans, are in flight, so the planner sees their shards where they are going and does not
     * move them again.
     */
    public Cluster planningView() {
        return PlanApplication.apply(new Cluster(cluster, List.copyOf(nodes.values()), List.copyOf(shards.values())), inFlight());
    }

    /**
     * The moves still to be made, oldest plan first, each judged on the placement the earlier ones leave:
     * a later plan's move of a replica that an earlier move is still bringing (B→C after A→B) counts.
     */
    private List<Plan.Move> inFlight() {
        List<Plan.Move> candidates = new ArrayList<>();
        carried.forEach(c -> candidates.add(c.move()));
        if (active != null && active.started()) {
            candidates.addAll(active.pending());
        }
        Map<String, Shard> view = new TreeMap<>(shards);
        List<Plan.Move> inFlight = new ArrayList<>();
        for (Plan.Move move : candidates) {
            Shard shard = view.get(move.shard());
            if (shard != null && on(shard, move.from()) && !on(shard, move.to())) {
                inFlight.add(move);
                view.put(shard.id(), PlanApplication.apply(new Cluster(cluster, List.of(), List.of(shard)), List.of(move)).shards().get(0));
            }
        }
        return inFlight;
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

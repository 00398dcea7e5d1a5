package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A cluster with moves carried out: what the placement becomes once a plan (or part of it) has run. */
public final class PlanApplication {
    private PlanApplication() {
    }

    /** The cluster once the whole plan has run: its moves, then its leader changes. */
    public static Cluster apply(Cluster cluster, Plan plan) {
        Cluster moved = apply(cluster, plan.moves());
        Map<String, Plan.LeaderChange> changes = new HashMap<>();
        plan.leaderChanges().forEach(c -> changes.put(c.shard(), c));
        List<Shard> shards = new ArrayList<>();
        for (Shard shard : moved.shards()) {
            Plan.LeaderChange change = changes.get(shard.id());
            shards.add(change == null ? shard : lead(shard, change));
        }
        return new Cluster(cluster.id(), cluster.nodes(), shards);
    }

    private static Shard lead(Shard shard, Plan.LeaderChange change) {
        int from = indexOf(shard.replicas(), change.from());
        int to = indexOf(shard.replicas(), change.to());
        if (from < 0 || to < 0 || !shard.replicas().get(from).leader()) {
            throw new IllegalArgumentException("leader change of " + shard.id() + " from " + change.from() + " to "
                    + change.to() + ": the shard's leader is not on " + change.from() + " or it has no replica on " + change.to());
        }
        List<Replica> replicas = new ArrayList<>(shard.replicas());
        replicas.set(from, new Replica(change.from(), false));
        replicas.set(to, new Replica(change.to(), true));
        return new Shard(shard.id(), replicas, shard.sizeBytes(), shard.load());
    }

    /** The cluster with some moves carried out (a plan in flight): replicas move, leadership stays with its slot. */
    public static Cluster apply(Cluster cluster, List<Plan.Move> moves) {
        Map<String, List<Plan.Move>> byShard = new HashMap<>();
        moves.forEach(m -> byShard.computeIfAbsent(m.shard(), k -> new ArrayList<>()).add(m));
        List<Shard> shards = new ArrayList<>();
        for (Shard shard : cluster.shards()) {
            List<Replica> replicas = new ArrayList<>(shard.replicas());
            for (Plan.Move move : byShard.getOrDefault(shard.id(), List.of())) {
                int at = indexOf(replicas, move.from());
                if (at < 0) {
                    throw new IllegalArgumentException("move of " + move.shard() + " from " + move.from()
                            + ": the shard has no replica there");
                }
                replicas.set(at, new Replica(move.to(), replicas.get(at).leader()));
            }
            shards.add(new Shard(shard.id(), replicas, shard.sizeBytes(), shard.load()));
        }
        return new Cluster(cluster.id(), cluster.nodes(), shards);
    }

    private static int indexOf(List<Replica> replicas, String node) {
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).node().equals(node)) {
                return i;
            }
        }
        return -1;
    }
}

package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A cluster with moves carried out: what the placement becomes once a plan (or part of it) has run. */
public final class PlanApplication {
    private PlanApplication() {
    }

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

package io.ballast.views;

import java.util.Map;
import java.util.TreeMap;

/** What Ballast knows about a cluster now: each node's membership, each shard's placement and load, the last plan. */
public record ClusterView(String cluster, Map<String, Timed> nodes, Map<String, Timed> shards, Timed lastPlan) {
    public ClusterView {
        nodes = new TreeMap<>(nodes);
        shards = new TreeMap<>(shards);
    }

    public static ClusterView empty(String cluster) {
        return new ClusterView(cluster, Map.of(), Map.of(), null);
    }

    public ClusterView apply(ViewUpdate update) {
        return switch (update.part()) {
            case NODE -> new ClusterView(cluster, with(nodes, update), shards, lastPlan);
            case SHARD -> new ClusterView(cluster, nodes, with(shards, update), lastPlan);
            case PLAN -> new ClusterView(cluster, nodes, shards, Timed.newer(lastPlan, update));
            default -> throw new IllegalArgumentException(update.part() + " is not part of a cluster view");
        };
    }

    private static Map<String, Timed> with(Map<String, Timed> members, ViewUpdate update) {
        Map<String, Timed> next = new TreeMap<>(members);
        next.put(update.member(), Timed.newer(members.get(update.member()), update));
        return next;
    }
}

package io.ballast.rebalance;

import java.util.List;

/** A cluster's model: its nodes and its shards. {@link ClusterValidation} says whether it is coherent. */
public record Cluster(String id, List<Node> nodes, List<Shard> shards) {
    public Cluster {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        shards = shards == null ? List.of() : List.copyOf(shards);
    }
}

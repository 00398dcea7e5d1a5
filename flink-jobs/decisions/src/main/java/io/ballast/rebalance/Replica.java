package io.ballast.rebalance;

/** One copy of a shard: the node it lives on and whether it leads. */
public record Replica(String node, boolean leader) {
}

/**
 * The rebalancer's planner: from a model of nodes and shards to a minimal, safe, phased plan of shard
 * moves, goal by goal in priority order (Cruise Control's model), and the consistent-hash ring that
 * places new shards when a cluster grows. Plain Java: no Flink, no Kafka. {@link io.ballast.rebalance.Planner}
 * is the entry point; the Flink job and {@code ballast rebalance} drive it.
 */
package io.ballast.rebalance;

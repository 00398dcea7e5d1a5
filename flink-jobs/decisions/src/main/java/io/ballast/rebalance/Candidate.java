package io.ballast.rebalance;

/** One replica of a shard moving from one node to another, under consideration. */
record Candidate(int shard, int slot, int from, int to) {
}

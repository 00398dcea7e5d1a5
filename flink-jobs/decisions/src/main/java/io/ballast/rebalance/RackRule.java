package io.ballast.rebalance;

import java.util.TreeSet;

/**
 * Each shard's replicas span min(replicas, racks) distinct racks: as spread as the cluster's racks allow
 * (one rack, or fewer racks than replicas, is not a violation in itself).
 */
final class RackRule extends ZeroTargetRule {
    /** Whether every rack id fits in a bit of a long. */
    private final boolean fewRacks;

    RackRule(boolean hard, Placement p) {
        super(Goal.RACK_AWARE, hard, p);
        this.fewRacks = java.util.Arrays.stream(p.rackId).allMatch(id -> id < Long.SIZE);
    }

    private int missing(int shard, int slot, int node) {
        int[] nodes = p.slotNode[shard];
        int want = Math.min(nodes.length, p.receivingRacks);
        if (fewRacks) {
            // asked of nearly every move the planner weighs: racks as bits of one word
            long racks = 0;
            for (int k = 0; k < nodes.length; k++) {
                racks |= 1L << p.rackId[k == slot ? node : nodes[k]];
            }
            return Math.max(0, want - Long.bitCount(racks));
        }
        int distinct = 0;
        for (int k = 0; k < nodes.length; k++) {
            int rack = p.rackId[k == slot ? node : nodes[k]];
            boolean seen = false;
            for (int j = 0; j < k && !seen; j++) {
                seen = p.rackId[j == slot ? node : nodes[j]] == rack;
            }
            distinct += seen ? 0 : 1;
        }
        return Math.max(0, want - distinct);
    }

    private int missing(int shard) {
        return missing(shard, -1, -1);
    }

    @Override
    double computeFigure() {
        int missing = 0;
        for (int s = 0; s < p.shards(); s++) {
            missing += missing(s);
        }
        return missing;
    }

    @Override
    double delta(Candidate c) {
        if (p.rackId[c.to()] == p.rackId[c.from()]) {
            return 0; // the shard's racks are the same after the move (and most moves the planner weighs are so)
        }
        if (figure() == 0) {
            return missing(c.shard(), c.slot(), c.to()); // no shard misses a rack now
        }
        return missing(c.shard(), c.slot(), c.to()) - missing(c.shard());
    }

    @Override
    boolean movable(int shard, int slot) {
        if (missing(shard) == 0) {
            return false;
        }
        int own = p.rackId[p.slotNode[shard][slot]];
        for (int k = 0; k < p.slotNode[shard].length; k++) {
            if (k != slot && p.rackId[p.slotNode[shard][k]] == own) {
                return true;
            }
        }
        return false;
    }

    @Override
    int[] sources() {
        TreeSet<Integer> nodes = new TreeSet<>();
        for (int s = 0; s < p.shards(); s++) {
            for (int k = 0; k < p.slotNode[s].length; k++) {
                if (movable(s, k)) {
                    nodes.add(p.slotNode[s][k]);
                }
            }
        }
        return nodes.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    boolean fewDestinationsSuffice() {
        return false;
    }

    @Override
    String reason(Candidate c) {
        return "rack-aware: " + p.shardId[c.shard()] + " had two replicas in rack " + p.rack[c.from()];
    }
}

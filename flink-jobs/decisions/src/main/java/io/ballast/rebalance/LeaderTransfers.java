package io.ballast.rebalance;

/**
 * Evens leader counts by handing a shard's leadership to another of its replicas: no byte moves, so
 * the leader-distribution goal tries this before any replica move. Each hand-over is the one that most
 * reduces the goal's excess (then onto the node with fewest leaders, then in node and shard order), so
 * the same placement always gives the same hand-overs, and they stop at a fixed point.
 */
final class LeaderTransfers {
    private LeaderTransfers() {
    }

    /** A hand-over: the shard's leader slot moves to {@code toSlot}, on node {@code candidate.to()}. */
    private record Transfer(Candidate candidate, int toSlot, double delta) {
    }

    /** Hands leadership over while that helps {@code rule}; true if anything changed. */
    static boolean balance(Placement p, GoalRule rule, boolean ontoFreshOnly) {
        boolean changed = false;
        for (int guard = 2 * p.shards() + 100; guard > 0 && !rule.satisfied(); guard--) {
            Transfer best = null;
            for (int from : rule.sources()) {
                best = bestFrom(p, rule, from, ontoFreshOnly);
                if (best != null) {
                    break;
                }
            }
            if (best == null) {
                return changed;
            }
            double after = rule.figureAfter(best.candidate());
            p.transferLeadership(best.candidate().shard(), best.toSlot());
            rule.moved(after);
            changed = true;
        }
        return changed;
    }

    private static Transfer bestFrom(Placement p, GoalRule rule, int from, boolean ontoFreshOnly) {
        Transfer best = null;
        SlotKeys onFrom = p.onNode[from];
        for (int held = 0; held < onFrom.size(); held++) {
            long key = onFrom.get(held);
            int shard = Placement.shardOf(key);
            int slot = Placement.slotOf(key);
            if (!p.isLeader(shard, slot)) {
                continue;
            }
            for (int k = 0; k < p.slotNode[shard].length; k++) {
                int to = p.slotNode[shard][k];
                if (k == slot || !p.receives[to] || (ontoFreshOnly && !p.fresh[to])) {
                    continue;
                }
                // for leader counts, handing leadership from one node to another is a leader replica moving between them
                Candidate c = new Candidate(shard, slot, from, to);
                double delta = rule.delta(c);
                if (delta >= -GoalRule.EPS || rule.figureAfter(c) > rule.figure() + GoalRule.EPS) {
                    continue;
                }
                if (best == null || delta < best.delta() - GoalRule.EPS
                        || (Math.abs(delta - best.delta()) <= GoalRule.EPS && p.leaders[to] < p.leaders[best.candidate().to()])) {
                    best = new Transfer(c, k, delta);
                }
            }
        }
        return best;
    }
}

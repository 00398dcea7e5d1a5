package io.ballast.rebalance;

import java.util.Locale;

/**
 * Replica (or leader) counts per receiving node within a band around the mean: at most
 * ceil(mean × factor) and at least floor(mean × (2 - factor)). Figure: max(highest / mean, 2 - lowest / mean).
 */
final class CountBalanceRule extends GoalRule {
    private final boolean leadersOnly;
    private final double mean;
    private final int upperTrigger;
    private final int lowerTrigger;
    private final int upperTarget;
    private final int lowerTarget;
    /** The receiving nodes, most replicas (leaders) first: the order of the sources. */
    private KeptOrder mostFirst;

    CountBalanceRule(Goal goal, boolean hard, Placement p, PlannerSettings settings) {
        super(goal, hard, p);
        this.leadersOnly = goal == Goal.LEADER_DISTRIBUTION;
        this.mean = leadersOnly ? p.meanLeaders : p.meanReplicas;
        this.upperTrigger = (int) Math.ceil(mean * settings.balanceTrigger() - EPS);
        this.lowerTrigger = (int) Math.floor(mean * (2 - settings.balanceTrigger()) + EPS);
        this.upperTarget = (int) Math.ceil(mean * settings.balanceTarget() - EPS);
        this.lowerTarget = (int) Math.floor(mean * (2 - settings.balanceTarget()) + EPS);
    }

    private int count(int node) {
        return leadersOnly ? p.leaders[node] : p.replicas[node];
    }

    private Ranking rank() {
        return leadersOnly ? p.leaderRank : p.replicaRank;
    }

    private int shift(Candidate c) {
        return leadersOnly && !p.isLeader(c.shard(), c.slot()) ? 0 : 1;
    }

    private int countAfter(int node, Candidate c) {
        int shift = c == null ? 0 : shift(c);
        return count(node) + (c == null ? 0 : node == c.from() ? -shift : node == c.to() ? shift : 0);
    }

    private int[] extremes(Candidate c) {
        int from = c == null ? -1 : c.from();
        int to = c == null ? -1 : c.to();
        int top = rank().extremeExcluding(true, from, to);
        int bottom = rank().extremeExcluding(false, from, to);
        int max = top < 0 ? Integer.MIN_VALUE : count(top);
        int min = bottom < 0 ? Integer.MAX_VALUE : count(bottom);
        if (c != null) {
            if (p.receives[c.from()]) {
                max = Math.max(max, countAfter(c.from(), c));
                min = Math.min(min, countAfter(c.from(), c));
            }
            max = Math.max(max, countAfter(c.to(), c));
            min = Math.min(min, countAfter(c.to(), c));
        }
        return new int[] {max, min};
    }

    private double figureOf(int[] extremes) {
        if (mean <= 0 || extremes[0] == Integer.MIN_VALUE) {
            return 1;
        }
        return Math.max(extremes[0] / mean, 2 - extremes[1] / mean);
    }

    @Override
    double computeFigure() {
        return figureOf(extremes(null));
    }

    private boolean within(int[] extremes) {
        return mean <= 0 || extremes[0] == Integer.MIN_VALUE || (extremes[0] <= upperTrigger && extremes[1] >= lowerTrigger);
    }

    @Override
    boolean satisfied() {
        return within(extremes(null));
    }

    @Override
    double figureAfter(Candidate c) {
        return figureOf(extremes(c));
    }

    @Override
    boolean satisfiedAfter(Candidate c) {
        return within(extremes(c));
    }

    private int excess(int node, Candidate c) {
        if (!p.receives[node]) {
            return 0;
        }
        int count = countAfter(node, c);
        return Math.max(0, count - upperTarget) + Math.max(0, lowerTarget - count);
    }

    @Override
    double delta(Candidate c) {
        return excess(c.from(), c) - excess(c.from(), null) + excess(c.to(), c) - excess(c.to(), null);
    }

    @Override
    double sourceDelta(int shard, int slot, int from) {
        Candidate off = new Candidate(shard, slot, from, -1);
        return excess(from, off) - excess(from, null);
    }

    /** One more replica (leader) on a node lowers its excess by one if it is below the band, else not at all. */
    @Override
    double destinationDeltaBound(int to) {
        return p.receives[to] && count(to) < lowerTarget ? -1 : 0;
    }

    @Override
    boolean movable(int shard, int slot) {
        return !leadersOnly || p.isLeader(shard, slot);
    }

    @Override
    int[] sources() {
        int[] extremes = extremes(null);
        if (mean <= 0 || (extremes[0] <= upperTarget && extremes[1] >= lowerTarget)) {
            return new int[0];
        }
        if (mostFirst == null) {
            mostFirst = new KeptOrder(p, p.receiving(), n -> -count(n));
        }
        int[] ordered = mostFirst.get();
        int[] above = new int[ordered.length];
        int found = 0;
        for (int n : ordered) {
            if (-mostFirst.figure(n) > mean + EPS) {
                above[found++] = n;
            }
        }
        return java.util.Arrays.copyOf(above, found);
    }

    @Override
    double destinationOrder(int node) {
        return count(node);
    }

    @Override
    String reason(Candidate c) {
        String what = leadersOnly ? "leaders" : "replicas";
        return String.format(Locale.ROOT, "%s: %s holds %d %s, %s %d (band %d..%d)", goal.id(), p.nodeId[c.from()],
                count(c.from()), what, p.nodeId[c.to()], count(c.to()), lowerTarget, upperTarget);
    }
}

package io.ballast.rebalance;

import java.util.Locale;

/**
 * Every receiving node's utilisation of every resource within a band around the cluster's mean
 * utilisation (total load / total capacity). Figure: the largest deviation as a factor,
 * max(highest / mean, 2 - lowest / mean). It triggers above the trigger factor and balances to the target.
 */
final class ResourceBalanceRule extends GoalRule {
    private final double trigger;
    private final double target;
    /** Each node's excess as the placement stands, computed at version {@code excessAt[node]}: valid until the node changes. */
    private final double[] excessNow;
    private final int[] excessAt;
    /** The excess of the last candidate's source after its move: the same for each destination of that replica. */
    private int sourceShard = -1;
    private int sourceNode = -1;
    private int sourceAt = -1;
    private double sourceExcess;
    /** The receiving nodes, highest relative utilisation first: the order of the sources. */
    private KeptOrder highestFirst;

    ResourceBalanceRule(boolean hard, Placement p, PlannerSettings settings) {
        super(Goal.RESOURCE_DISTRIBUTION, hard, p);
        this.trigger = settings.balanceTrigger();
        this.target = settings.balanceTarget();
        this.excessNow = new double[p.nodes()];
        this.excessAt = new int[p.nodes()];
        java.util.Arrays.fill(excessAt, -1);
    }

    private double relAfter(int node, int r, Candidate c) {
        if (c == null) {
            return p.relative(node, r);
        }
        double shift = node == c.from() ? -p.load[c.shard()][r] : node == c.to() ? p.load[c.shard()][r] : 0;
        return (p.nodeLoad[node][r] + shift) / p.capacity[node][r] / p.mean[r];
    }

    private double deviation(Candidate c) {
        double worst = 1;
        for (int r = 0; r < p.resource.length; r++) {
            if (p.mean[r] <= 0 || p.utilRank.get(r).isEmpty()) {
                continue;
            }
            int from = c == null ? -1 : c.from();
            int to = c == null ? -1 : c.to();
            int top = p.utilRank.get(r).extremeExcluding(true, from, to);
            int bottom = p.utilRank.get(r).extremeExcluding(false, from, to);
            if (top >= 0) {
                worst = Math.max(worst, Math.max(p.relative(top, r), 2 - p.relative(bottom, r)));
            }
            if (c != null) {
                if (p.receives[c.from()]) {
                    double rel = relAfter(c.from(), r, c);
                    worst = Math.max(worst, Math.max(rel, 2 - rel));
                }
                double rel = relAfter(c.to(), r, c);
                worst = Math.max(worst, Math.max(rel, 2 - rel));
            }
        }
        return worst;
    }

    @Override
    double computeFigure() {
        return deviation(null);
    }

    @Override
    boolean satisfied() {
        return figure() <= trigger + EPS;
    }

    @Override
    double figureAfter(Candidate c) {
        return deviation(c);
    }

    @Override
    boolean satisfiedAfter(Candidate c) {
        if (!satisfied()) {
            return figureAfter(c) <= trigger + EPS;
        }
        // met: every node is within the band, and a move changes its two nodes only (asked of nearly every
        // candidate of the lower goals, so the other nodes' extremes are not looked up)
        for (int r = 0; r < p.resource.length; r++) {
            if (p.mean[r] <= 0 || p.utilRank.get(r).isEmpty()) {
                continue;
            }
            if (p.receives[c.from()] && outsideTrigger(relAfter(c.from(), r, c))) {
                return false;
            }
            if (outsideTrigger(relAfter(c.to(), r, c))) {
                return false;
            }
        }
        return true;
    }

    private boolean outsideTrigger(double relative) {
        return Math.max(relative, 2 - relative) > trigger + EPS;
    }

    private double excess(int node, Candidate c) {
        if (!p.receives[node]) {
            return 0;
        }
        double excess = 0;
        for (int r = 0; r < p.resource.length; r++) {
            if (p.mean[r] > 0) {
                double rel = relAfter(node, r, c);
                excess += Math.max(0, rel - target) + Math.max(0, (2 - target) - rel);
            }
        }
        return excess;
    }

    @Override
    double delta(Candidate c) {
        // the planner asks this of every replica on a node times every destination: what depends on one node is kept
        if (c.shard() != sourceShard || c.from() != sourceNode || p.version != sourceAt) {
            sourceShard = c.shard();
            sourceNode = c.from();
            sourceAt = p.version;
            sourceExcess = excess(c.from(), c);
        }
        return sourceExcess - excessNow(c.from()) + excess(c.to(), c) - excessNow(c.to());
    }

    @Override
    double sourceDelta(int shard, int slot, int from) {
        return excess(from, new Candidate(shard, slot, from, -1)) - excessNow(from);
    }

    /** Load moving onto a node can raise its excess above the band, and lower its excess below it at most to zero. */
    @Override
    double destinationDeltaBound(int to) {
        if (!p.receives[to]) {
            return 0;
        }
        double below = 0;
        for (int r = 0; r < p.resource.length; r++) {
            if (p.mean[r] > 0) {
                below += Math.max(0, (2 - target) - p.relative(to, r));
            }
        }
        return -below;
    }

    private double excessNow(int node) {
        if (excessAt[node] < p.changedAt[node]) {
            excessNow[node] = excess(node, null);
            excessAt[node] = p.version;
        }
        return excessNow[node];
    }

    private double highest(int node) {
        double highest = 0;
        for (int r = 0; r < p.resource.length; r++) {
            highest = Math.max(highest, p.relative(node, r));
        }
        return highest;
    }

    @Override
    int[] sources() {
        // a node below the band is helped by moves onto it, so the sources are every node above the mean
        if (figure() <= target + EPS) {
            return new int[0];
        }
        if (highestFirst == null) {
            highestFirst = new KeptOrder(p, p.receiving(), n -> -highest(n));
        }
        int[] ordered = highestFirst.get();
        int[] above = new int[ordered.length];
        int found = 0;
        for (int n : ordered) {
            if (-highestFirst.figure(n) > 1 + EPS) {
                above[found++] = n;
            }
        }
        return java.util.Arrays.copyOf(above, found);
    }

    @Override
    String reason(Candidate c) {
        int worst = 0;
        for (int r = 1; r < p.resource.length; r++) {
            if (p.relative(c.from(), r) > p.relative(c.from(), worst)) {
                worst = r;
            }
        }
        return String.format(Locale.ROOT, "resource-distribution: %s %s at %.3f x mean, %s at %.3f x mean (band %.2f)",
                p.nodeId[c.from()], p.resource[worst], p.relative(c.from(), worst), p.nodeId[c.to()],
                p.relative(c.to(), worst), target);
    }
}
